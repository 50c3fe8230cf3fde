namespace Platform.Runtime.Integrations;

/// <summary>
/// An outbound request the guard will not make (private, loopback, link-local or metadata target, bad scheme,
/// userinfo, a redirect to such a target). Final: the outbox marks the message <c>refused</c> and never retries it.
/// </summary>
public sealed class OutboundRefusedException : Exception
{
    public OutboundRefusedException(string reason)
        : base(reason)
    {
    }

    public OutboundRefusedException()
        : base("refused")
    {
    }

    public OutboundRefusedException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}
