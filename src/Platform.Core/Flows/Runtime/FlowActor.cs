namespace Platform.Core.Flows.Runtime;

/// <summary>The user (or <c>system</c>, or <c>rule:key</c>) acting, with the roles they hold.</summary>
public sealed record FlowActor(string UserName, IReadOnlySet<string> Roles)
{
    /// <summary>The runtime itself (timers, deadlines).</summary>
    public static FlowActor System { get; } = new("system", new HashSet<string>());

    /// <summary>A rule acting on a flow.</summary>
    public static FlowActor Rule(string key) => new($"rule:{key}", new HashSet<string>());
}
