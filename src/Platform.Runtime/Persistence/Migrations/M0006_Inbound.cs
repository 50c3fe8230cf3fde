using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Inbound webhooks: per-app hook configuration (only the SHA-256 of the token is kept) and the delivery log that
/// makes an <c>Idempotency-Key</c> replay answer the first response for 24 hours.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000006_Inbound")]
public sealed class M0006_Inbound : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table inbound_hooks (
              app_key text not null,
              key text not null,
              entity_key text not null,
              match_field text null,
              mapping jsonb not null default '{}',
              token_hash text null,
              enabled bool not null default true,
              created_at timestamptz not null default now(),
              updated_at timestamptz not null default now(),
              primary key (app_key, key)
            );
            create table inbound_deliveries (
              app_key text not null,
              hook_key text not null,
              idempotency_key text not null,
              status_code int not null,
              response jsonb null,
              at timestamptz not null,
              primary key (app_key, hook_key, idempotency_key)
            );
            create index ix_inbound_deliveries_at on inbound_deliveries (app_key, hook_key, at);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop table inbound_deliveries, inbound_hooks;");
    }
}
