namespace Platform.Runtime.Integrations;

/// <summary>One outbound HTTP request as the outbox channels build it; the guard sends it (and its redirects).</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">Absolute http or https URL.</param>
/// <param name="Headers">Request headers (content headers included); names compare case-insensitively.</param>
/// <param name="Body">The exact bytes sent, or null for no body.</param>
/// <param name="ContentType">Media type of <paramref name="Body"/>.</param>
public sealed record OutboundRequest(
    HttpMethod Method,
    Uri Url,
    IReadOnlyDictionary<string, string> Headers,
    byte[]? Body,
    string ContentType = "application/json");
