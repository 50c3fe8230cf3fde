using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// The audit row is written in every record command's statement, so it carries one index only: the key
/// (record_id, version). Creates and deletes store the data once instead of an expanded before/after map.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261125000001_LeanAudit")]
public sealed class M0002_LeanAudit : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop index if exists ix_record_audit_record;
            alter table record_audit drop column id;
            update record_audit set version = version + 1 where action = 'delete';
            update record_audit set changes = coalesce((select jsonb_object_agg(key, value->'after') from jsonb_each(changes)), '{}'::jsonb) where action = 'create';
            update record_audit set changes = coalesce((select jsonb_object_agg(key, value->'before') from jsonb_each(changes)), '{}'::jsonb) where action = 'delete';
            alter table record_audit add primary key (record_id, version);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            alter table record_audit drop constraint record_audit_pkey;
            alter table record_audit add column id bigint generated always as identity primary key;
            create index ix_record_audit_record on record_audit (record_id, id);
            """);
    }
}
