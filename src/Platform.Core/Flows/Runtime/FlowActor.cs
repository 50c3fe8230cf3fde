namespace Platform.Core.Flows.Runtime;

/// <summary>The user (or <c>system</c>, or <c>rule:key</c>) acting, with the roles they hold.</summary>
public sealed record FlowActor(string UserName, IReadOnlySet<string> Roles)
{
    /// <summary>A rule acting through its own authority: it may act on any open task its action names.</summary>
    public bool IsAutomation { get; init; }

    /// <summary>The runtime itself (timers, deadlines).</summary>
    public static FlowActor System { get; } = new("system", new HashSet<string>());

    /// <summary>A rule acting on a flow.</summary>
    public static FlowActor Rule(string key) => new($"rule:{key}", new HashSet<string>()) { IsAutomation = true };
}
