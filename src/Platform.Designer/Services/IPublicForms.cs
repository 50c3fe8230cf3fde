using System.Text.Json.Nodes;

namespace Platform.Designer.Services;

/// <summary>Public form links for the designer's publish dialog, and the anonymous form page's data and submission.</summary>
public interface IPublicForms
{
    /// <summary>What a token opens, or null when the link is unknown, revoked or its form disabled.</summary>
    Task<PublicFormView?> ResolveAsync(string token, CancellationToken ct);

    /// <summary>Submits <c>{ fieldKey: value }</c> through the link, exactly as <c>POST /api/public/forms/{token}</c>.</summary>
    Task<PublicSubmitResult> SubmitAsync(string token, JsonObject data, CancellationToken ct);

    /// <summary>The app's public form links (issuing tokens on first use); <paramref name="baseUrl"/> is the address customers use.</summary>
    Task<IReadOnlyList<PublicFormLinkView>> ListAsync(string app, string baseUrl, CancellationToken ct);

    /// <summary>Issues a new token for a form; the old link stops working.</summary>
    Task<PublicFormLinkView?> RenewAsync(string app, string form, string baseUrl, CancellationToken ct);
}
