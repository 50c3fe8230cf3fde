using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Designer drafts: one unpublished definition per app, kind (entity, flow, rule, report, dashboard) and key. A draft is
/// never read by the runtime; publishing it goes through the importer's validation and deletes the draft.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000011_Drafts")]
public sealed class M0011_Drafts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table definition_drafts (
              app_key text not null,
              kind text not null check (kind in ('entity', 'flow', 'rule', 'report', 'dashboard')),
              key text not null,
              body jsonb not null,
              updated_by text not null,
              updated_at timestamptz not null,
              primary key (app_key, kind, key)
            );
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop table definition_drafts;");
    }
}
