namespace Platform.Runtime.Execution.Printing;

/// <summary>The links printed pages carry (as QR codes and text). One place, so a signed tracking link changes only here.</summary>
public static class PrintLinks
{
    /// <summary>The customer's tracking page for <paramref name="trackingNo"/> (the customer still types the phone number).</summary>
    public static string TrackingUrl(string baseUrl, string trackingNo) => $"{baseUrl.TrimEnd('/')}/track?no={Uri.EscapeDataString(trackingNo)}";

    /// <summary>The record's detail page in the platform (for staff scanning a work order).</summary>
    public static string RecordUrl(string baseUrl, string app, string entity, Guid id) =>
        $"{baseUrl.TrimEnd('/')}/apps/{Uri.EscapeDataString(app)}/records/{Uri.EscapeDataString(entity)}/{id}";

    /// <summary>The print page of records (<c>GET /api/apps/{app}/print/{template}?ids=…</c>).</summary>
    public static string PrintUrl(string app, string template, IEnumerable<Guid> ids) =>
        $"/api/apps/{Uri.EscapeDataString(app)}/print/{Uri.EscapeDataString(template)}?ids={string.Join(',', ids)}";
}
