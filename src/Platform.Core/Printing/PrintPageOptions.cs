namespace Platform.Core.Printing;

/// <summary>What a printed page needs beyond the template and records.</summary>
public sealed record PrintPageOptions
{
    /// <summary><c>{{_app}}</c>.</summary>
    public string AppName { get; init; } = string.Empty;

    /// <summary><c>{{_now}}</c>: when the page was printed.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>Same-origin script that wires the print button (no inline script: the page's CSP forbids it); null for no button.</summary>
    public string? ScriptUrl { get; init; }
}
