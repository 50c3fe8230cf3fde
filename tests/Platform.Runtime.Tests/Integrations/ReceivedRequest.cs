namespace Platform.Runtime.Tests.Integrations;

/// <summary>A request a <see cref="TestHttpListener"/> received: method, path with query, headers, raw body bytes.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
