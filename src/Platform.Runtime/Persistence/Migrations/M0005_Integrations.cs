using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Outbound integrations: a send lease on outbox rows (claimed, committed, then sent), the delivery log of every
/// attempt, per-app connectors with an encrypted secret, and the administrator's outbound allow-list.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000005_Integrations")]
public sealed class M0005_Integrations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            alter table outbox add column lease_until timestamptz, add column claimed_by text, add column claim_token uuid;
            create index ix_outbox_leased on outbox (lease_until) where status = 'sending';
            create index ix_outbox_created on outbox (created_at desc);
            create table outbox_attempts (
              outbox_id uuid not null references outbox (id) on delete cascade,
              attempt int not null,
              at timestamptz not null,
              node text not null,
              outcome text not null,
              status_code int,
              error text,
              duration_ms int,
              primary key (outbox_id, attempt)
            );
            create table connectors (
              app_key text not null,
              key text not null,
              kind text not null,
              base_url text not null,
              settings jsonb not null default '{}',
              secret_cipher text,
              updated_at timestamptz not null default now(),
              updated_by text,
              primary key (app_key, key)
            );
            create table outbound_allowlist (
              entry text primary key,
              created_at timestamptz not null default now(),
              created_by text
            );
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop table outbound_allowlist, connectors, outbox_attempts;
            drop index ix_outbox_created;
            drop index ix_outbox_leased;
            alter table outbox drop column lease_until, drop column claimed_by, drop column claim_token;
            """);
    }
}
