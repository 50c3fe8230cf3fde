using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Room on each page of <c>flow_instances</c> for an updated row version. Every command rewrites its instance's row (state, row
/// version) without changing an indexed column, which PostgreSQL can do as a HOT update — no entry in any of the table's five
/// indexes — but only when the new version fits on the row's own page. With the default fill factor of 100 an instance row
/// created among others sits on a full page, so its first action (and often later ones) was a cold update with five index
/// insertions. Pages written from now on keep a quarter free; existing full pages gain the room as their rows move.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261202000022_FlowInstanceFillFactor")]
public sealed class M0022_FlowInstanceFillFactor : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("alter table flow_instances set (fillfactor = 75);");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("alter table flow_instances reset (fillfactor);");
    }
}
