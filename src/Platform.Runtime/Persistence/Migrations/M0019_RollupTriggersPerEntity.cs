using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Rollups are kept by one generated trigger function per entity (static SQL, plans cached per session) instead of the
/// shared trigger that looked up each write's delta statements and ran them with <c>execute</c> (parsed and planned per row
/// and report). The rollups stored before no longer match their hash (format 4) and are rebuilt by the sync at start-up,
/// which generates the functions. And a helper for the projections' local times of bucketed date-times: the China local
/// time of a stored date-time text, null where the text is no date-time (a write never fails on it).
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000019_RollupTriggersPerEntity")]
public sealed class M0019_RollupTriggersPerEntity : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger records_report_rollup on records;
            drop function platform_report_rollup();

            create function report_fact_local(v text) returns timestamp language plpgsql stable strict parallel safe as $$
            begin
              return v::timestamptz at time zone 'Asia/Shanghai';
            exception when data_exception then
              return null;
            end
            $$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop function report_fact_local(text);
            do $$ declare t record; begin
              for t in select tgname, tgfoid::regproc as fn from pg_trigger where tgrelid = 'records'::regclass and tgname like 'report\_rollup\_%\_w' loop
                execute format('drop trigger %I on records', t.tgname);
                execute format('drop trigger if exists %I on records', left(t.tgname, -2) || '_d');
                execute format('drop function %s()', t.fn);
              end loop;
            end $$;
            -- The rows the generated functions kept are rebuilt by the old sync (no definition matches any more).
            truncate report_rollup_defs, report_rollups, report_rollup_months;
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
}
