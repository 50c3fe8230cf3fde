namespace Platform.Core.Reports.Definitions;

/// <summary>
/// E-mails the report on a cron schedule (China time) as an HTML table with an Excel or CSV attachment, to
/// addresses and to the users holding <see cref="Roles"/>.
/// </summary>
public sealed record ReportSchedule
{
    public required string Key { get; init; }

    /// <summary>Cron expression (five fields), e.g. <c>0 8 * * 1</c> for Mondays at 08:00.</summary>
    public required string Cron { get; init; }

    public IReadOnlyList<string> To { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>xlsx (default) or csv.</summary>
    public string Format { get; init; } = "xlsx";

    public string? Subject { get; init; }
}
