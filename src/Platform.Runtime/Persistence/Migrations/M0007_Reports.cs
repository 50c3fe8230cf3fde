using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Reports: daily rollups (one row per report, day, group and additive component) kept by a trigger in the
/// writing transaction from per-report delta statements compiled from metadata, and the index that lets
/// step-duration reports find a flow's instances.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000007_Reports")]
public sealed class M0007_Reports : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table report_rollups (
              app_key text not null,
              report_key text not null,
              day date not null,
              grp text[] not null,
              measure text not null,
              value numeric not null,
              primary key (app_key, report_key, day, grp, measure)
            );
            create table report_rollup_defs (
              app_key text not null,
              report_key text not null,
              entity_key text not null,
              hash text not null,
              delta_sql text not null,
              params jsonb not null,
              built_at timestamptz not null default now(),
              primary key (app_key, report_key)
            );
            create index ix_report_rollup_defs_entity on report_rollup_defs (app_key, entity_key);
            create index ix_flow_instances_flow on flow_instances (app_key, flow_key, started_at);
            create function platform_report_rollup() returns trigger language plpgsql as $fn$
            declare d record;
            begin
              if tg_op = 'UPDATE' and old.data = new.data and old.created_at = new.created_at and old.created_by = new.created_by then
                return null;
              end if;
              if tg_op in ('UPDATE', 'DELETE') then
                for d in select delta_sql, params from report_rollup_defs where app_key = old.app_key and entity_key = old.entity_key loop
                  execute d.delta_sql using old.id, old.data, old.created_at, old.updated_at, old.created_by, old.updated_by, -1, d.params;
                end loop;
              end if;
              if tg_op in ('INSERT', 'UPDATE') then
                for d in select delta_sql, params from report_rollup_defs where app_key = new.app_key and entity_key = new.entity_key loop
                  execute d.delta_sql using new.id, new.data, new.created_at, new.updated_at, new.created_by, new.updated_by, 1, d.params;
                end loop;
              end if;
              return null;
            end
            $fn$;
            create trigger records_report_rollup after insert or update or delete on records
              for each row execute function platform_report_rollup();
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger records_report_rollup on records;
            drop function platform_report_rollup();
            drop index ix_flow_instances_flow;
            drop table report_rollup_defs, report_rollups;
            """);
    }
}
