using System.Text.Json.Nodes;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.PublicForms;

namespace Platform.Runtime.Ui;

/// <summary>Public forms for the UI: the same links and submission service as the public forms API.</summary>
public sealed class PublicForms(AppCatalog catalog, PublicFormLinks links, RecordFormLinks recordLinks, PublicFormService service, CurrentUser user, Execution.Customers.TrackingLinks tracking)
    : IPublicForms
{
    public async Task<PublicFormView?> ResolveAsync(string token, CancellationToken ct)
    {
        if (RecordFormLinks.IsRecordToken(token))
        {
            return await recordLinks.ResolveAsync(token, ct) is { } target
                ? new PublicFormView(token, target.App, target.Form, target.Entity, PublicFormService.Fields(target.Entity, target.Form))
                {
                    Subject = new PublicFormSubject(target.SubjectEntity, target.SubjectId, target.SubjectNumber, await service.AnsweredAsync(target, ct))
                    {
                        TrackingPath = await tracking.CreateAsync(target.App, target.SubjectEntity.Key, target.SubjectId, ct) is { } link
                            ? link[link.LastIndexOf(Execution.Customers.TrackingLinks.PathPrefix, StringComparison.Ordinal)..]
                            : null,
                    },
                }
                : null;
        }

        return await links.ResolveAsync(token, ct) is var (app, form, entity) ? new PublicFormView(token, app, form, entity, PublicFormService.Fields(entity, form)) : null;
    }

    public async Task<PublicSubmitResult> SubmitAsync(string token, JsonObject data, CancellationToken ct)
    {
        var result = await service.SubmitAsync(token, data, ct);
        return new PublicSubmitResult(result.TrackingNo, result.Errors, result.NotFound) { Conflict = result.Conflict };
    }

    public async Task<IReadOnlyList<PublicFormLinkView>> ListAsync(string app, string baseUrl, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition)
        {
            return [];
        }

        return (await links.ListAsync(definition, await user.NameAsync(), ct)).Select(l => PublicFormService.Describe(definition, l, baseUrl)).ToList();
    }

    public async Task<PublicFormLinkView?> RenewAsync(string app, string form, string baseUrl, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition || definition.PublicForms.All(f => f.Key != form || f.SubjectField is not null))
        {
            return null;
        }

        return PublicFormService.Describe(definition, await links.RenewAsync(app, form, await user.NameAsync(), ct), baseUrl);
    }
}
