using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// The rule engine's firing log: one row per rule evaluated for an event (condition result, actions with their
/// outcomes, error, duration), chained by <c>chain_id</c>/<c>seq</c>/<c>parent_seq</c> so a user can see why
/// something fired. Timers of overdue and schedule rules use the flow engine's <c>timers</c> table (payload).
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000004_Rules")]
public sealed class M0004_Rules : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table rule_firings (
              id bigint generated always as identity primary key,
              app_key text not null,
              rule_key text not null,
              trigger text not null,
              entity_key text,
              record_id uuid,
              chain_id uuid not null,
              seq int not null,
              parent_seq int,
              depth int not null,
              status text not null,
              condition text,
              condition_result boolean,
              actions jsonb not null default '[]',
              error text,
              duration_ms double precision not null,
              at timestamptz not null,
              by text not null
            );
            create index ix_rule_firings_rule on rule_firings (app_key, rule_key, id desc);
            create index ix_rule_firings_record on rule_firings (record_id, id desc);
            create index ix_rule_firings_chain on rule_firings (chain_id, seq);
            create index ix_timers_rule on timers ((payload->>'app'), kind) where kind like 'rule-%';
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop index ix_timers_rule; drop table rule_firings;");
    }
}
