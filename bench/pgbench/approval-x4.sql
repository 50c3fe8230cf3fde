\set n1 random(0, 249)
\set n2 random(250, 499)
\set n3 random(500, 749)
\set n4 random(750, 999)
\startpipeline
select 1;
with u as (update flow_instances set state = (select state from bench_state), status = 'running', ended_at = null, version = 1, row_version = row_version + 1 where id = (select id from bench_plain_ids where n = :n1) returning 1),
opened as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)
  select o.id, (select id from bench_plain_ids where n = :n1), 'after_sales', 'customer', (select id from bench_plain_ids where n = :n1), o.step, o.step_name, 'bench', o.kind, o.assignee, o.role, o.status, o.created_at, o.due_at, o.closed_at, o.closed_by, o.action, o.comment
  from (values (gen_random_uuid(), 'b', 'b', 'approval', 'cs01', null::text, 'bench', now(), null::timestamptz, null::timestamptz, null::text, null::text, null::text)) o(id, step, step_name, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)),
closed as (update flow_tasks t set status = c.status, closed_at = c.closed_at, closed_by = c.closed_by, action = c.action, comment = c.comment
  from (values ((select id from bench_plain_ids where n = :n1), 'open', now(), 'cs01', 'approve', null::text)) c(id, status, closed_at, closed_by, action, comment) where t.id = c.id),
history as (insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
  select gen_random_uuid(), h.* from (values (3, 'a', 'a', 'approve', 'cs01', now(), null::text, gen_random_uuid(), null::text, null::jsonb, true), (4, 'b', 'b', 'enter', 'system', now(), null, null, null, null, true)) h),
notified as (insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
  select n.user_name, n.kind, n.title, n.body, '/x', (select id from bench_plain_ids where n = :n1), n.task_id, now() from (values ('cs01', 'task', 'bench', null::text, gen_random_uuid())) n(user_name, kind, title, body, task_id))
select (select count(*) from u);
with u as (update flow_instances set state = (select state from bench_state), status = 'running', ended_at = null, version = 1, row_version = row_version + 1 where id = (select id from bench_plain_ids where n = :n2) returning 1),
opened as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)
  select o.id, (select id from bench_plain_ids where n = :n2), 'after_sales', 'customer', (select id from bench_plain_ids where n = :n2), o.step, o.step_name, 'bench', o.kind, o.assignee, o.role, o.status, o.created_at, o.due_at, o.closed_at, o.closed_by, o.action, o.comment
  from (values (gen_random_uuid(), 'b', 'b', 'approval', 'cs01', null::text, 'bench', now(), null::timestamptz, null::timestamptz, null::text, null::text, null::text)) o(id, step, step_name, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)),
closed as (update flow_tasks t set status = c.status, closed_at = c.closed_at, closed_by = c.closed_by, action = c.action, comment = c.comment
  from (values ((select id from bench_plain_ids where n = :n2), 'open', now(), 'cs01', 'approve', null::text)) c(id, status, closed_at, closed_by, action, comment) where t.id = c.id),
history as (insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
  select gen_random_uuid(), h.* from (values (3, 'a', 'a', 'approve', 'cs01', now(), null::text, gen_random_uuid(), null::text, null::jsonb, true), (4, 'b', 'b', 'enter', 'system', now(), null, null, null, null, true)) h),
notified as (insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
  select n.user_name, n.kind, n.title, n.body, '/x', (select id from bench_plain_ids where n = :n2), n.task_id, now() from (values ('cs01', 'task', 'bench', null::text, gen_random_uuid())) n(user_name, kind, title, body, task_id))
select (select count(*) from u);
with u as (update flow_instances set state = (select state from bench_state), status = 'running', ended_at = null, version = 1, row_version = row_version + 1 where id = (select id from bench_plain_ids where n = :n3) returning 1),
opened as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)
  select o.id, (select id from bench_plain_ids where n = :n3), 'after_sales', 'customer', (select id from bench_plain_ids where n = :n3), o.step, o.step_name, 'bench', o.kind, o.assignee, o.role, o.status, o.created_at, o.due_at, o.closed_at, o.closed_by, o.action, o.comment
  from (values (gen_random_uuid(), 'b', 'b', 'approval', 'cs01', null::text, 'bench', now(), null::timestamptz, null::timestamptz, null::text, null::text, null::text)) o(id, step, step_name, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)),
closed as (update flow_tasks t set status = c.status, closed_at = c.closed_at, closed_by = c.closed_by, action = c.action, comment = c.comment
  from (values ((select id from bench_plain_ids where n = :n3), 'open', now(), 'cs01', 'approve', null::text)) c(id, status, closed_at, closed_by, action, comment) where t.id = c.id),
history as (insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
  select gen_random_uuid(), h.* from (values (3, 'a', 'a', 'approve', 'cs01', now(), null::text, gen_random_uuid(), null::text, null::jsonb, true), (4, 'b', 'b', 'enter', 'system', now(), null, null, null, null, true)) h),
notified as (insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
  select n.user_name, n.kind, n.title, n.body, '/x', (select id from bench_plain_ids where n = :n3), n.task_id, now() from (values ('cs01', 'task', 'bench', null::text, gen_random_uuid())) n(user_name, kind, title, body, task_id))
select (select count(*) from u);
with u as (update flow_instances set state = (select state from bench_state), status = 'running', ended_at = null, version = 1, row_version = row_version + 1 where id = (select id from bench_plain_ids where n = :n4) returning 1),
opened as (insert into flow_tasks (id, instance_id, app_key, entity_key, record_id, step, step_name, title, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)
  select o.id, (select id from bench_plain_ids where n = :n4), 'after_sales', 'customer', (select id from bench_plain_ids where n = :n4), o.step, o.step_name, 'bench', o.kind, o.assignee, o.role, o.status, o.created_at, o.due_at, o.closed_at, o.closed_by, o.action, o.comment
  from (values (gen_random_uuid(), 'b', 'b', 'approval', 'cs01', null::text, 'bench', now(), null::timestamptz, null::timestamptz, null::text, null::text, null::text)) o(id, step, step_name, kind, assignee, role, status, created_at, due_at, closed_at, closed_by, action, comment)),
closed as (update flow_tasks t set status = c.status, closed_at = c.closed_at, closed_by = c.closed_by, action = c.action, comment = c.comment
  from (values ((select id from bench_plain_ids where n = :n4), 'open', now(), 'cs01', 'approve', null::text)) c(id, status, closed_at, closed_by, action, comment) where t.id = c.id),
history as (insert into flow_history (instance_id, seq, step, step_name, action, by, at, comment, task_id, to_value, fields, public)
  select gen_random_uuid(), h.* from (values (3, 'a', 'a', 'approve', 'cs01', now(), null::text, gen_random_uuid(), null::text, null::jsonb, true), (4, 'b', 'b', 'enter', 'system', now(), null, null, null, null, true)) h),
notified as (insert into notifications (user_name, kind, title, body, link, instance_id, task_id, created_at)
  select n.user_name, n.kind, n.title, n.body, '/x', (select id from bench_plain_ids where n = :n4), n.task_id, now() from (values ('cs01', 'task', 'bench', null::text, gen_random_uuid())) n(user_name, kind, title, body, task_id))
select (select count(*) from u);
\endpipeline
