using Platform.Core.Metadata;
using Platform.Core.Reports;

namespace Platform.Designer.Components.Reports;

/// <summary>A field path the report designer offers for dragging: its label, the group it is listed under, its value kind and options.</summary>
public sealed record ReportFieldItem(string Path, string Label, string Group, ReportValueKind Kind, IReadOnlyList<FieldOption>? Options)
{
    /// <summary>The special item that counts records.</summary>
    public const string CountPath = "*";

    public bool IsDate => Kind is ReportValueKind.Date or ReportValueKind.Instant;
}
