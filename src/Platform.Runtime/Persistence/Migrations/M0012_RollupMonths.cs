using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Monthly rollups beside the daily ones: the same rows summed per month, kept by the same trigger statement. A dashboard
/// reads whole months from here and only the partial months at the ends of its period from the daily rows (30× fewer rows).
/// Rollups built before (format 2) no longer match their hash and are rebuilt, months included, by the sync at start-up.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000012_RollupMonths")]
public sealed class M0012_RollupMonths : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table report_rollup_months (
              app_key text not null,
              report_key text not null,
              month date not null,
              grp text[] not null,
              measure text not null,
              value numeric not null,
              primary key (app_key, report_key, month, grp, measure)
            );
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop table report_rollup_months;");
    }
}
