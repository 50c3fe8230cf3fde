namespace Platform.Runtime.Integrations;

/// <summary>
/// A delivery that did not succeed: a non-2xx answer, an error code in a robot's reply, a payload that cannot be
/// sent. <see cref="Permanent"/> failures (4xx other than 408/429, bad payloads) are not retried.
/// </summary>
public sealed class OutboxDeliveryException : Exception
{
    public OutboxDeliveryException(string message, int? statusCode, bool permanent)
        : base(message)
    {
        StatusCode = statusCode;
        Permanent = permanent;
    }

    public OutboxDeliveryException()
    {
    }

    public OutboxDeliveryException(string message)
        : base(message)
    {
    }

    public OutboxDeliveryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status the receiver answered with, when there was an answer.</summary>
    public int? StatusCode { get; }

    /// <summary>True when sending it again cannot help.</summary>
    public bool Permanent { get; }

    /// <summary>A failure for a payload that cannot be sent as it is.</summary>
    public static OutboxDeliveryException BadPayload(string message) => new(message, null, permanent: true);

    /// <summary>The failure for an HTTP answer that is not 2xx: 4xx other than 408/429 is permanent.</summary>
    public static OutboxDeliveryException ForStatus(int status, string? body)
    {
        var permanent = status is >= 400 and < 500 and not 408 and not 429;
        var snippet = string.IsNullOrEmpty(body) ? string.Empty : ": " + (body.Length > 300 ? body[..300] + "…" : body);
        return new OutboxDeliveryException($"HTTP {status}{snippet}", status, permanent);
    }
}
