namespace Platform.Designer.Services;

/// <summary>
/// The customer self-service for the <c>/my</c> and <c>/t/{token}</c> pages: the same code, session and request services as
/// <c>/api/public/apps/{app}/otp</c>, <c>…/otp/verify</c>, <c>…/my/requests</c> and <c>/api/public/links/{token}</c>.
/// </summary>
public interface ICustomerPortal
{
    /// <summary>The portal of <paramref name="app"/>; null when the app has none (or it is off).</summary>
    Task<CustomerPortalView?> FindAsync(string app, CancellationToken ct);

    /// <summary>Every app's portal (for <c>/my</c> without an app: one goes straight in, several are offered).</summary>
    Task<IReadOnlyList<CustomerPortalView>> ListAsync(CancellationToken ct);

    /// <summary>Sends a one-time code to <paramref name="phone"/> (limits as the API: per phone, per client address).</summary>
    Task<CustomerCodeResult> SendCodeAsync(string app, string phone, string? clientAddress, CancellationToken ct);

    /// <summary>Checks a code; a right one gives a session token.</summary>
    Task<CustomerSignInResult> VerifyAsync(string app, string phone, string code, CancellationToken ct);

    /// <summary>The requests of a session's phone, newest first; null when the token is not a valid session of the app.</summary>
    Task<CustomerRequestsView?> RequestsAsync(string app, string sessionToken, CancellationToken ct);

    /// <summary>The one request of a signed tracking link; null when the link is bad or expired.</summary>
    Task<CustomerRequestView?> OpenLinkAsync(string token, CancellationToken ct);
}
