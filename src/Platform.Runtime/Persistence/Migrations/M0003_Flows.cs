using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Platform.Runtime.Persistence.Migrations;

/// <summary>
/// The flow engine's tables: immutable flow versions, instances (state as JSONB with a row version), the task
/// table behind the inbox, append-only history, timers claimed with SKIP LOCKED, the outbox, in-app
/// notifications and editable business calendars.
/// </summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("20261125000002_Flows")]
public sealed class M0003_Flows : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            alter table users add column department text;
            create table flow_versions (
              app_key text not null,
              flow_key text not null,
              version int not null,
              entity_key text not null,
              definition jsonb not null,
              published_at timestamptz not null default now(),
              published_by text,
              primary key (app_key, flow_key, version)
            );
            create table flow_instances (
              id uuid primary key,
              app_key text not null,
              flow_key text not null,
              version int not null,
              entity_key text not null,
              record_id uuid not null,
              status text not null,
              state jsonb not null,
              row_version int not null default 1,
              started_by text not null,
              started_at timestamptz not null,
              ended_at timestamptz
            );
            create index ix_flow_instances_record on flow_instances (record_id);
            create index ix_flow_instances_started_by on flow_instances (started_by, started_at desc);
            create index ix_flow_instances_running on flow_instances (app_key, flow_key, version) where status = 'running';
            create table flow_tasks (
              id uuid primary key,
              instance_id uuid not null,
              app_key text not null,
              entity_key text not null,
              record_id uuid not null,
              step text not null,
              step_name text not null,
              title text not null,
              kind text not null,
              assignee text,
              role text,
              status text not null,
              created_at timestamptz not null,
              due_at timestamptz,
              closed_at timestamptz,
              closed_by text,
              action text,
              comment text
            );
            create index ix_flow_tasks_instance on flow_tasks (instance_id);
            create index ix_flow_tasks_open_user on flow_tasks (assignee, created_at) where status in ('open', 'waiting');
            create index ix_flow_tasks_open_role on flow_tasks (role, created_at) where status = 'open' and assignee is null;
            create index ix_flow_tasks_done_by on flow_tasks (closed_by, closed_at desc) where status = 'done';
            create index ix_flow_tasks_cc on flow_tasks (assignee, created_at desc) where status = 'cc';
            create table flow_history (
              instance_id uuid not null,
              seq int not null,
              step text not null,
              step_name text,
              action text not null,
              by text not null,
              at timestamptz not null,
              comment text,
              task_id uuid,
              to_value text,
              fields jsonb,
              public boolean not null default false,
              primary key (instance_id, seq)
            );
            create table timers (
              id uuid primary key,
              instance_id uuid,
              step text,
              kind text not null,
              due_at timestamptz not null,
              payload jsonb,
              attempts int not null default 0,
              last_error text,
              created_at timestamptz not null default now()
            );
            create index ix_timers_due on timers (due_at);
            create table timer_firings (
              timer_id uuid primary key,
              instance_id uuid,
              due_at timestamptz not null,
              fired_at timestamptz not null,
              fired_by text not null
            );
            create table outbox (
              id uuid primary key,
              kind text not null,
              idempotency_key text not null unique,
              payload jsonb not null,
              status text not null default 'pending',
              attempts int not null default 0,
              next_attempt_at timestamptz not null,
              created_at timestamptz not null,
              sent_at timestamptz,
              last_error text
            );
            create index ix_outbox_pending on outbox (next_attempt_at) where status = 'pending';
            create table notifications (
              id bigint generated always as identity primary key,
              user_name text not null,
              kind text not null,
              title text not null,
              body text,
              link text,
              instance_id uuid,
              task_id uuid,
              created_at timestamptz not null,
              read_at timestamptz
            );
            create index ix_notifications_user on notifications (user_name, id desc);
            create table calendars (
              key text primary key,
              definition jsonb not null,
              updated_at timestamptz not null default now()
            );
            create function platform_expect_rows(actual bigint, expected bigint, message text) returns void
            language plpgsql as $$
            begin
              if actual <> expected then
                raise exception using errcode = 'P0409', message = message;
              end if;
            end $$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            drop function platform_expect_rows(bigint, bigint, text);
            drop table calendars, notifications, outbox, timer_firings, timers, flow_history, flow_tasks, flow_instances, flow_versions;
            alter table users drop column department;
            """);
    }
}
