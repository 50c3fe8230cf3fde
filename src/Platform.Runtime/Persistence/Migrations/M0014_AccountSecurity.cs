using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// Account security kept in the database so every node sees it: failed sign-ins and lockout on users (and, for user names
/// that do not exist, in <c>login_failures</c>, so a lockout never tells which names exist); a security stamp per user that
/// every token and cookie carries (changed to revoke them all); and the sessions ended by logout before they expired.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261201000014_AccountSecurity")]
public sealed class M0014_AccountSecurity : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            alter table users
              add column failed_logins int not null default 0,
              add column failed_window_start timestamptz,
              add column locked_until timestamptz,
              add column security_stamp text not null default replace(gen_random_uuid()::text, '-', '');
            create table login_failures (
              user_name text primary key,
              failed_logins int not null,
              failed_window_start timestamptz not null,
              locked_until timestamptz
            );
            create table revoked_sessions (
              session_id uuid primary key,
              user_id uuid not null,
              expires_at timestamptz not null
            );
            create index revoked_sessions_expires on revoked_sessions (expires_at);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop table revoked_sessions, login_failures;
            alter table users drop column failed_logins, drop column failed_window_start, drop column locked_until, drop column security_stamp;
            """);
    }
}
