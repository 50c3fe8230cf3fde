namespace Platform.Runtime.Integrations;

/// <summary>Where a message goes: its own absolute URL, or a path under its connector's base URL.</summary>
public static class ConnectorUrl
{
    /// <summary>
    /// Resolves <paramref name="url"/> against <paramref name="connector"/>. A relative URL is appended to the base URL
    /// (<c>https://h/api</c> + <c>orders/1</c> = <c>https://h/api/orders/1</c>); an absolute URL used with a connector
    /// must stay on the connector's origin, so its credentials never go to another host.
    /// </summary>
    public static Uri Resolve(Connector? connector, string? url)
    {
        if (connector is null)
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                throw OutboxDeliveryException.BadPayload("payload has neither url nor connector");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var absolute))
            {
                throw OutboxDeliveryException.BadPayload($"url '{url}' is not absolute and there is no connector to resolve it against");
            }

            return absolute;
        }

        if (!Uri.TryCreate(connector.BaseUrl, UriKind.Absolute, out var baseUri))
        {
            throw OutboxDeliveryException.BadPayload($"connector '{connector.Key}' has an invalid baseUrl");
        }

        if (string.IsNullOrEmpty(url))
        {
            return baseUri;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var given) && given.Scheme is "http" or "https")
        {
            if (!string.Equals(given.GetLeftPart(UriPartial.Authority), baseUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                throw OutboxDeliveryException.BadPayload($"url '{given.GetLeftPart(UriPartial.Authority)}' is not on connector '{connector.Key}''s origin {baseUri.GetLeftPart(UriPartial.Authority)}");
            }

            return given;
        }

        var joined = connector.BaseUrl.TrimEnd('/') + "/" + url.TrimStart('/');
        return Uri.TryCreate(joined, UriKind.Absolute, out var combined)
            ? combined
            : throw OutboxDeliveryException.BadPayload($"url '{url}' does not form a valid URL with connector '{connector.Key}'");
    }
}
