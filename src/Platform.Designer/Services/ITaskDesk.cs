using System.Security.Claims;

namespace Platform.Designer.Services;

/// <summary>The task inbox and its actions (through the same flow service as <c>POST /api/tasks/{id}/actions</c>), the user picker and the bell.</summary>
public interface ITaskDesk
{
    /// <summary>todo, done, cc or started.</summary>
    Task<IReadOnlyList<TaskItemView>> BoxAsync(string box, ClaimsPrincipal user, CancellationToken ct);

    /// <summary>The task as its dialogs need it, when the user may act on it; null otherwise.</summary>
    Task<TaskOptionView?> TaskAsync(Guid taskId, ClaimsPrincipal user, CancellationToken ct);

    Task<TaskActionResult> ActAsync(Guid taskId, TaskCommand command, ClaimsPrincipal user, CancellationToken ct);

    /// <summary>withdraw, urge or comment on a flow instance.</summary>
    Task<TaskActionResult> ActOnInstanceAsync(Guid instanceId, string action, string? comment, ClaimsPrincipal user, CancellationToken ct);

    /// <summary>Active users whose name or display name contains <paramref name="text"/> (all, up to a page, when empty).</summary>
    Task<IReadOnlyList<UserChoice>> SearchUsersAsync(string? text, CancellationToken ct);

    Task<NotificationsView> NotificationsAsync(ClaimsPrincipal user, CancellationToken ct);

    /// <summary>Marks one notification (or, with null, all) read.</summary>
    Task MarkReadAsync(ClaimsPrincipal user, long? id, CancellationToken ct);
}
