using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// The customer self-service: one-time SMS codes (only their keyed hash is kept, with tries and the requesting address
/// for the rate limits) and the platform's own secrets (the key that signs tracking links, created once and shared by
/// every node through this table, encrypted with Data Protection).
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000017_CustomerPortal")]
public sealed class M0017_CustomerPortal : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table customer_codes (
              id uuid primary key,
              app_key text not null,
              phone text not null,
              code_hash text not null,
              client_address text not null,
              created_at timestamptz not null,
              expires_at timestamptz not null,
              attempts int not null default 0,
              used_at timestamptz,
              text_cleared boolean not null default false
            );
            create index customer_codes_phone on customer_codes (app_key, phone, created_at desc);
            create index customer_codes_address on customer_codes (client_address, created_at);
            create index customer_codes_created on customer_codes (created_at);
            create index customer_codes_live on customer_codes (expires_at) where not text_cleared;

            create table platform_secrets (
              name text primary key,
              value text not null,
              created_at timestamptz not null
            );
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop table customer_codes; drop table platform_secrets;");
    }
}
