using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Scheduled report e-mails: at most one pending <c>report-schedule</c> timer per app, report and schedule, so a
/// publish racing a firing can never leave two occurrences queued for one schedule.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000009_ReportSchedules")]
public sealed class M0009_ReportSchedules : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create unique index ux_timers_report_schedule on timers ((payload->>'app'), (payload->>'report'), (payload->>'schedule'))
              where kind = 'report-schedule';
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop index ux_timers_report_schedule;");
    }
}
