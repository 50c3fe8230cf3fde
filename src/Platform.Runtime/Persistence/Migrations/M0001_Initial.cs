using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Hand-written so the schema is exactly what the hot path expects: the JSONB records table with its
/// GIN index, gapless number sequences, audit, data-protection keys.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261124000001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table apps (
              key text primary key,
              name text not null,
              version int not null,
              definition jsonb not null,
              created_at timestamptz not null default now(),
              updated_at timestamptz not null default now()
            );
            create table app_versions (
              app_key text not null references apps(key) on delete cascade,
              version int not null,
              definition jsonb not null,
              published_at timestamptz not null default now(),
              published_by text,
              primary key (app_key, version)
            );
            create table users (
              id uuid primary key,
              user_name text not null unique,
              display_name text not null,
              email text,
              phone text,
              password_hash text not null,
              roles text[] not null default '{}',
              is_active boolean not null default true,
              created_at timestamptz not null default now()
            );
            create table records (
              id uuid primary key,
              app_key text not null,
              entity_key text not null,
              data jsonb not null,
              version int not null default 1,
              definition_version int not null,
              created_at timestamptz not null,
              created_by text not null,
              updated_at timestamptz not null,
              updated_by text not null
            );
            create index ix_records_entity_created on records (app_key, entity_key, created_at desc, id);
            create index ix_records_data on records using gin (data jsonb_path_ops);
            create table record_audit (
              id bigint generated always as identity primary key,
              record_id uuid not null,
              app_key text not null,
              entity_key text not null,
              action text not null,
              version int not null,
              at timestamptz not null,
              by text not null,
              changes jsonb not null
            );
            create index ix_record_audit_record on record_audit (record_id, id);
            create table number_sequences (
              key text primary key,
              value bigint not null
            );
            create table field_indexes (
              name text primary key,
              app_key text not null,
              entity_key text not null,
              field_key text not null,
              kind text not null,
              created_at timestamptz not null default now()
            );
            create table data_protection_keys (
              id int generated always as identity primary key,
              friendly_name text,
              xml text not null
            );
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop table data_protection_keys, field_indexes, number_sequences, record_audit, records, users, app_versions, apps;");
    }
}
