using System.Security.Claims;
using Npgsql;
using Platform.Core.Flows.Runtime;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>The inbox and task actions through <see cref="FlowService"/> (exactly as <c>POST /api/tasks/{id}/actions</c>), the user picker and the bell.</summary>
public sealed class TaskDesk(
    AppCatalog catalog, InboxStore inbox, FlowStore flowStore, FlowCatalog flowCatalog, FlowService flows, NpgsqlDataSource dataSource) : ITaskDesk
{
    private const int BoxSize = 200;

    public async Task<IReadOnlyList<TaskItemView>> BoxAsync(string box, ClaimsPrincipal user, CancellationToken ct)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var tasks = await inbox.TasksAsync(box, user.Identity?.Name ?? string.Empty, roles, BoxSize, ct);
        var list = new List<TaskItemView>(tasks.Count);
        foreach (var task in tasks)
        {
            list.Add(UiViews.Task(task, await catalog.GetAsync(task.App, ct)));
        }

        return list;
    }

    public async Task<TaskOptionView?> TaskAsync(Guid taskId, ClaimsPrincipal user, CancellationToken ct)
    {
        var snapshot = await flowStore.LoadByTaskAsync(taskId, ct);
        var task = snapshot?.Instance.FindTask(taskId);
        if (snapshot is null || task is null || task.Status != FlowTaskStatuses.Open || !task.IsFor(FlowService.Actor(user)))
        {
            return null;
        }

        var flow = await flowCatalog.GetAsync(snapshot.Instance.App, snapshot.Instance.Flow, snapshot.Instance.Version, ct);
        return flow is null ? null : UiViews.Option(snapshot.Instance, flow, task);
    }

    public async Task<TaskActionResult> ActAsync(Guid taskId, TaskCommand command, ClaimsPrincipal user, CancellationToken ct) =>
        UiViews.Result(await flows.ActAsync(
            taskId,
            new TaskActionRequest { Action = command.Action, Comment = Blank(command.Comment), Fields = command.Fields, To = Blank(command.To), Position = Blank(command.Position) },
            user,
            ct));

    public async Task<TaskActionResult> ActOnInstanceAsync(Guid instanceId, string action, string? comment, ClaimsPrincipal user, CancellationToken ct) =>
        UiViews.Result(await flows.ActOnInstanceAsync(instanceId, action, Blank(comment), user, ct));

    public async Task<IReadOnlyList<UserChoice>> SearchUsersAsync(string? text, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select user_name, display_name from users
            where is_active and ($1 = '' or user_name ilike '%' || $1 || '%' or display_name ilike '%' || $1 || '%')
            order by user_name limit 30
            """);
        var needle = (text ?? string.Empty).Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("\0", string.Empty);
        cmd.Parameters.Add(new NpgsqlParameter { Value = needle });
        var list = new List<UserChoice>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new UserChoice(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    public async Task<NotificationsView> NotificationsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var (items, unread) = await inbox.NotificationsAsync(user.Identity?.Name ?? string.Empty, false, 20, ct);
        return new NotificationsView(
            items.Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, UiViews.Link(n.Link), n.CreatedAt, n.ReadAt is not null)).ToList(), unread);
    }

    public Task MarkReadAsync(ClaimsPrincipal user, long? id, CancellationToken ct) => inbox.MarkReadAsync(user.Identity?.Name ?? string.Empty, id, ct);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
