using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Report projections: per entity a narrow table of typed columns (<c>report_facts_…</c>, created by
/// <c>ReportProjections</c>, kept by its own trigger on records) that reports scan instead of the wide JSONB rows.
/// This registry says which table holds which entity for which shape. The two helpers convert a stored text the way the
/// reports' casts do, but give null where the cast would fail, so a write never fails on a value its projection cannot hold.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000018_ReportProjections")]
public sealed class M0018_ReportProjections : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table report_projections (
              app_key text not null,
              entity_key text not null,
              table_name text not null,
              hash text not null,
              built_at timestamptz not null,
              primary key (app_key, entity_key)
            );

            create function report_fact_numeric(v text) returns numeric language plpgsql immutable strict parallel safe as $$
            begin
              return v::numeric;
            exception when data_exception then
              return null;
            end
            $$;

            create function report_fact_boolean(v text) returns boolean language plpgsql immutable strict parallel safe as $$
            begin
              return v::boolean;
            exception when data_exception then
              return null;
            end
            $$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop table report_projections;
            drop function report_fact_numeric(text);
            drop function report_fact_boolean(text);
            """);
    }
}
