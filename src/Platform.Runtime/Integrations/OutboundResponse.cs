namespace Platform.Runtime.Integrations;

/// <summary>What the receiver answered (after redirects): status, final URL and the start of the body.</summary>
public sealed record OutboundResponse(int StatusCode, Uri Url, string Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
