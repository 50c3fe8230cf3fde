using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Platform.Core.Metadata;
using Platform.Core.Printing;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Printing;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Ui;

/// <summary>The print template designer's backend: PrintService and AppImporter, as <c>GET …/print/{template}</c> and <c>PUT …/print-templates/{key}</c> use them.</summary>
public sealed class PrintDesigner(
    AppCatalog catalog, AppImporter importer, PrintService printing, PlatformSettings settings, NavigationManager navigation, AuthenticationStateProvider authentication) : IPrintDesigner
{
    public async Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct) => await catalog.GetAsync(app, ct);

    public async Task<PrintPreview> PreviewAsync(string app, PrintTemplateDefinition template, Guid? recordId, CancellationToken ct)
    {
        if (await catalog.GetAsync(app, ct) is not { } definition)
        {
            return new PrintPreview(null, [$"没有应用 '{app}'"]);
        }

        var baseUrl = settings.PublicBaseUrl is { Length: > 0 } configured ? configured : navigation.BaseUri;
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var outcome = await printing.PreviewAsync(definition, template, recordId, baseUrl, user, ct);
        return new PrintPreview(outcome.Html, outcome.Problems ?? []);
    }

    public async Task<IReadOnlyList<DefinitionProblem>> PublishAsync(string app, PrintTemplateDefinition template, CancellationToken ct)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "designer";
        var (_, problems) = await importer.PublishPrintTemplateAsync(app, template, user, ct);
        return problems.Select(p => new DefinitionProblem(p.Path.TrimStart('$', '.'), p.Message)).ToList();
    }
}
