using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Uploaded files (the bytes live outside the web root, see FileStore; the row is what a field's file id names) and
/// the unguessable tokens of public form links (one active token per form; a leaked link is revoked by issuing a new one).
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000010_PublicFormsAndFiles")]
public sealed class M0010_PublicFormsAndFiles : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            create table files (
              id text primary key,
              name text not null,
              extension text not null,
              content_type text not null,
              size bigint not null,
              sha256 text not null,
              uploaded_by text,
              public_form_token text,
              created_at timestamptz not null
            );
            create index ix_files_public_form_token on files (public_form_token) where public_form_token is not null;

            create table public_form_links (
              token text primary key,
              app_key text not null,
              form_key text not null,
              created_at timestamptz not null,
              created_by text,
              revoked_at timestamptz
            );
            create unique index ux_public_form_links_active on public_form_links (app_key, form_key) where revoked_at is null;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("drop table public_form_links; drop table files;");
    }
}
