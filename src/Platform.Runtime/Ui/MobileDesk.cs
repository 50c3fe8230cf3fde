using System.Security.Claims;
using System.Text.Json.Nodes;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Mobile;

namespace Platform.Runtime.Ui;

/// <summary>The phone view's jobs through <see cref="MobileJobs"/>, exactly as <c>/api/mobile/jobs</c> serves them.</summary>
public sealed class MobileDesk(MobileJobs jobs, AppCatalog catalog) : IMobileJobs
{
    public async Task<IReadOnlyList<MobileJobCardView>> JobsAsync(ClaimsPrincipal user, CancellationToken ct) =>
        (await jobs.JobsAsync(user, ct)).Select(Card).ToList();

    public async Task<MobileJobView?> JobAsync(Guid taskId, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await jobs.JobAsync(taskId, user, ct) is not { } job)
        {
            return null;
        }

        var photos = job.WorkPhotosField is { } key ? (await catalog.GetAsync(job.Card.App, ct))?.FindEntity(job.Card.Entity)?.FindField(key) : null;
        return new MobileJobView(
            Card(job.Card), job.Details.Select(Field).ToList(), job.Description, job.Photos, job.WorkPhotosField, job.WorkPhotos, photos?.Upload?.MaxFiles ?? 9,
            job.SignatureField, job.Signature, job.HasParts, job.CanAddParts,
            job.Parts.Select(p => new MobilePartLineView(p.Id, p.PartName, p.Quantity, p.CanRemove)).ToList(), job.OtherEditable, job.Required, job.Data);
    }

    public async Task<IReadOnlyList<MobilePartOptionView>> SearchPartsAsync(Guid taskId, string? text, ClaimsPrincipal user, CancellationToken ct) =>
        (await jobs.SearchPartsAsync(taskId, text, user, ct) ?? []).Select(o => new MobilePartOptionView(o.Id, o.Name, o.Details.Select(Field).ToList())).ToList();

    public async Task<TaskActionResult> AddPartAsync(Guid taskId, Guid partId, decimal quantity, ClaimsPrincipal user, CancellationToken ct) =>
        UiViews.Result(await jobs.AddPartAsync(taskId, partId.ToString(), JsonValue.Create(quantity), user, ct));

    public async Task<TaskActionResult> RemovePartAsync(Guid taskId, Guid lineId, ClaimsPrincipal user, CancellationToken ct) =>
        UiViews.Result(await jobs.RemovePartAsync(taskId, lineId, user, ct));

    private static MobileJobCardView Card(MobileJobCard c) => new(
        c.TaskId, c.App, c.Entity, c.RecordId, c.StepName, c.Title, c.Customer, c.Phone, c.Address, c.Product,
        c.Priority is { } p ? new MobilePriorityView(p.Value, p.Label, p.LabelEn, p.Color, p.Rank) : null, c.Schedule, c.CreatedAt, c.DueAt, c.MapUrl, c.PhoneUrl);

    private static MobileFieldView Field(MobileDetailField f) => new(f.Key, f.Label, f.LabelEn, f.Text);
}
