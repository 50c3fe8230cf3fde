using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// The organisation behind permissions: departments as a tree, roles with names (external roles for service
/// providers), users marked external, and each record's owning department (the creator's, at creation) for
/// department row scopes.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000013_Organisation")]
public sealed class M0013_Organisation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table departments (
              key text primary key,
              name text not null,
              name_en text,
              parent_key text references departments(key),
              sort int not null default 0,
              created_at timestamptz not null default now()
            );
            create table roles (
              key text primary key,
              name text not null,
              name_en text,
              description text,
              is_external boolean not null default false,
              created_at timestamptz not null default now()
            );
            alter table users add column is_external boolean not null default false;
            alter table records add column owner_department text;
            create index ix_records_owner_department on records (app_key, entity_key, owner_department) where owner_department is not null;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop index ix_records_owner_department;
            alter table records drop column owner_department;
            alter table users drop column is_external;
            drop table roles, departments;
            """);
    }
}
