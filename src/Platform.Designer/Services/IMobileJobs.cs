using System.Security.Claims;

namespace Platform.Designer.Services;

/// <summary>
/// The phone view's field jobs (<c>/m</c>), through the same service as <c>/api/mobile/jobs</c>: the caller's open tasks
/// of steps with mobile settings, one job's page (null unless it is the caller's open task), and the parts used on it.
/// Photos, the signature and completion are task actions through <see cref="ITaskDesk"/>, as in the inbox.
/// </summary>
public interface IMobileJobs
{
    Task<IReadOnlyList<MobileJobCardView>> JobsAsync(ClaimsPrincipal user, CancellationToken ct);

    Task<MobileJobView?> JobAsync(Guid taskId, ClaimsPrincipal user, CancellationToken ct);

    /// <summary>Parts to pick whose name or detail text contains <paramref name="text"/>; empty when the job is not the caller's.</summary>
    Task<IReadOnlyList<MobilePartOptionView>> SearchPartsAsync(Guid taskId, string? text, ClaimsPrincipal user, CancellationToken ct);

    /// <summary>Records a part used on the job (the parts entity's rules run, e.g. the stock deduction); errors name <c>part</c> or <c>quantity</c>.</summary>
    Task<TaskActionResult> AddPartAsync(Guid taskId, Guid partId, decimal quantity, ClaimsPrincipal user, CancellationToken ct);

    /// <summary>Removes a part line recorded by mistake, when the caller may delete it.</summary>
    Task<TaskActionResult> RemovePartAsync(Guid taskId, Guid lineId, ClaimsPrincipal user, CancellationToken ct);
}
