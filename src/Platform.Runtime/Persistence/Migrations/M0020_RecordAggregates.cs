using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Aggregate fields (<c>aggregate</c>: count or sum of the records that reference a record), kept by the database in every
/// writing transaction so the stored value is always the one the data gives, whatever path wrote it (API, flow, rule, COPY).
/// <c>record_aggregates</c> holds each field's value statement, compiled from validated metadata by <c>RecordAggregates</c>
/// (keys as literals, condition values in <c>params</c>). Two triggers on records:
/// <list type="bullet">
/// <item><c>records_aggregate_compute</c> (BEFORE insert or update of a record holding aggregates) recomputes them into the
/// row being written, so a client or rule can never store a wrong value;</item>
/// <item><c>records_aggregate_touch</c> (AFTER a write of a counted record) updates the records its reference pointed at
/// before and after (<c>set data = data</c>, which makes the first trigger recompute them). Only a change of a watched
/// field (the reference, the conditions, the summed field) touches anything. The touch takes the target row's lock before
/// the recount runs, so two transactions counting for one target take turns and the second sees the first's rows.</item>
/// </list>
/// The triggers (the touch one split in two: a WHEN clause reads only the new row of an insert, the old of a delete) carry a WHEN clause naming the (app, entity) pairs involved, rewritten by <c>RecordAggregates</c> whenever
/// the definitions change (none yet: <c>when (false)</c>), so a write of any other entity does not call them at all.
/// The version and audit columns of a touched record are left alone: the aggregate is derived, not an edit. A bulk load
/// (the demo data) sets <c>platform.defer_aggregates</c> for its transaction and recomputes every aggregate once at the end
/// instead of once per written row.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000020_RecordAggregates")]
public sealed class M0020_RecordAggregates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table record_aggregates (
              app_key text not null,
              entity_key text not null,
              field_key text not null,
              source_entity text not null,
              reference_key text not null,
              watched text[] not null,
              value_sql text not null,
              params jsonb not null,
              hash text not null,
              primary key (app_key, entity_key, field_key)
            );
            create index ix_record_aggregates_source on record_aggregates (app_key, source_entity);

            create function platform_record_aggregate_compute() returns trigger language plpgsql as $fn$
            declare d record; v numeric;
            begin
              if current_setting('platform.defer_aggregates', true) = 'on' then
                return new;
              end if;
              for d in select field_key, value_sql, params from record_aggregates where app_key = new.app_key and entity_key = new.entity_key loop
                execute d.value_sql into v using new.id, d.params;
                new.data := jsonb_set(coalesce(new.data, '{}'::jsonb), array[d.field_key], to_jsonb(coalesce(v, 0)));
              end loop;
              return new;
            end
            $fn$;

            create function platform_record_aggregate_uuid(v text) returns uuid language sql immutable parallel safe as $fn$
              select case when v ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then v::uuid end
            $fn$;

            create function platform_record_aggregate_touch() returns trigger language plpgsql as $fn$
            declare d record; ids uuid[] := '{}'; app text; entity text; target uuid;
            begin
              if pg_trigger_depth() > 16 or current_setting('platform.defer_aggregates', true) = 'on' then
                return null;
              end if;
              if tg_op = 'DELETE' then app := old.app_key; entity := old.entity_key; else app := new.app_key; entity := new.entity_key; end if;
              for d in select reference_key, watched from record_aggregates where app_key = app and source_entity = entity loop
                if tg_op = 'UPDATE' and not exists (select 1 from unnest(d.watched) k where old.data -> k is distinct from new.data -> k) then
                  continue;
                end if;
                if tg_op <> 'INSERT' then
                  ids := ids || platform_record_aggregate_uuid(old.data ->> d.reference_key);
                end if;
                if tg_op <> 'DELETE' then
                  ids := ids || platform_record_aggregate_uuid(new.data ->> d.reference_key);
                end if;
              end loop;
              if cardinality(ids) > 0 then
                -- One row at a time in id order, so two writers touching the same two targets cannot deadlock.
                for target in select distinct t from unnest(ids) t where t is not null order by t loop
                  perform 1 from records where id = target and app_key = app for update;
                end loop;
                update records set data = data where id = any(ids) and app_key = app;
              end if;
              return null;
            end
            $fn$;

            create trigger records_aggregate_compute before insert or update on records
              for each row when (false) execute function platform_record_aggregate_compute();
            create trigger records_aggregate_touch after insert or update on records
              for each row when (false) execute function platform_record_aggregate_touch();
            create trigger records_aggregate_touch_delete after delete on records
              for each row when (false) execute function platform_record_aggregate_touch();
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop trigger records_aggregate_touch_delete on records;
            drop trigger records_aggregate_touch on records;
            drop trigger records_aggregate_compute on records;
            drop function platform_record_aggregate_touch();
            drop function platform_record_aggregate_compute();
            drop function platform_record_aggregate_uuid(text);
            drop table record_aggregates;
            """);
    }
}
