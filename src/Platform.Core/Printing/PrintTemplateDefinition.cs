namespace Platform.Core.Printing;

/// <summary>
/// A print template of an entity: an HTML body with placeholders (<c>{{field}}</c>, <c>{{#each items}}…{{/each}}</c>,
/// <c>{{qr}}</c> …, see docs/printing.md) rendered per record into a print-ready A4 page. The HTML is authored by
/// designers and checked on publish and import (no scripts, event attributes, javascript: URLs or external resources).
/// </summary>
public sealed record PrintTemplateDefinition
{
    /// <summary>Stable snake_case key, unique within the app.</summary>
    public required string Key { get; init; }

    /// <summary>The entity whose records the template prints.</summary>
    public required string Entity { get; init; }

    /// <summary>Name shown in the print menu (zh-CN first).</summary>
    public required string Label { get; init; }

    public string? LabelEn { get; init; }

    /// <summary>One of <see cref="PrintPapers"/>: <c>a4-portrait</c> (default) or <c>a4-landscape</c>.</summary>
    public string Paper { get; init; } = PrintPapers.A4Portrait;

    /// <summary>The body of one record's page: HTML with placeholders.</summary>
    public required string Html { get; init; }
}
