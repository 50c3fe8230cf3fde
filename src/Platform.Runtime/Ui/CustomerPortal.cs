using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Customers;

namespace Platform.Runtime.Ui;

/// <summary>The customer pages' portal: the same <see cref="CustomerCodes"/>, <see cref="CustomerSessions"/> and <see cref="CustomerRequests"/> as the customer API.</summary>
public sealed class CustomerPortal(AppCatalog catalog, CustomerCodes codes, CustomerSessions sessions, CustomerRequests requests) : ICustomerPortal
{
    public async Task<CustomerPortalView?> FindAsync(string app, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(app) && app.Length <= 63 && await catalog.GetAsync(app, ct) is { CustomerPortal: { Enabled: true } portal } definition
            ? new CustomerPortalView(definition.Key, portal.Title ?? definition.Name, portal.TitleEn ?? definition.NameEn)
            : null;

    public async Task<IReadOnlyList<CustomerPortalView>> ListAsync(CancellationToken ct)
    {
        var found = new List<CustomerPortalView>();
        foreach (var summary in await catalog.ListAsync(ct))
        {
            if (await FindAsync(summary.Key, ct) is { } view)
            {
                found.Add(view);
            }
        }

        return found;
    }

    public async Task<CustomerCodeResult> SendCodeAsync(string app, string phone, string? clientAddress, CancellationToken ct)
    {
        var result = await codes.SendAsync(app, phone.Trim(), clientAddress, ct);
        return result.NotFound
            ? new CustomerCodeResult(false, "此服务暂不可用 / this service is not available", 0)
            : new CustomerCodeResult(result.Sent, result.Error, Math.Max(0, (int)Math.Ceiling(result.RetryAfter.TotalSeconds)));
    }

    public async Task<CustomerSignInResult> VerifyAsync(string app, string phone, string code, CancellationToken ct)
    {
        var result = await codes.VerifyAsync(app, phone.Trim(), code.Trim(), ct);
        return result.Ok
            ? new CustomerSignInResult(result.Token, null, null)
            : new CustomerSignInResult(null, result.PhoneError, result.PhoneError is null ? CodeVerifyResult.WrongMessage : null);
    }

    public async Task<CustomerRequestsView?> RequestsAsync(string app, string sessionToken, CancellationToken ct)
    {
        if (sessions.Read(sessionToken) is not { } session || session.App != app)
        {
            return null;
        }

        var items = await requests.ListAsync(session, ct);
        return new CustomerRequestsView(session.MaskedPhone, session.ExpiresAt, items.Select(View).ToList());
    }

    public async Task<CustomerRequestView?> OpenLinkAsync(string token, CancellationToken ct) =>
        await requests.OpenLinkAsync(token, ct) is { } found ? View(found) : null;

    private static CustomerRequestView View(CustomerRequest r) => new(
        r.App, r.Entity, r.EntityLabel, r.EntityLabelEn, r.TypeLabel, r.TypeLabelEn, r.StatusLabelEn, r.StatusColor, r.CreatedAt,
        r.Fields.Select(f => new CustomerFieldView(f.Key, f.Label, f.LabelEn, f.Text, f.TextEn)).ToList(),
        new TrackingView(r.Tracking.TrackingNo, r.Tracking.Status, r.Tracking.StatusLabel, r.Tracking.FlowStatus,
            r.Tracking.Timeline.Select(h => new TrackingEntryView(h.At, h.Step, h.Action, TrackingLookup.Text(h))).ToList()))
    {
        Summary = r.Summary,
        SummaryEn = r.SummaryEn,
        Offers = r.Offers.Select(o => new CustomerOfferView(o.Form, o.Title, o.TitleEn, Uri.TryCreate(o.Url, UriKind.Absolute, out var url) ? url.PathAndQuery : o.Url)).ToList(),
    };
}
