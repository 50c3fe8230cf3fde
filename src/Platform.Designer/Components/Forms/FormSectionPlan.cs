using Platform.Core.Metadata;

namespace Platform.Designer.Components.Forms;

/// <summary>A section as the form draws it: its title, columns and the fields it shows, in order.</summary>
public sealed record FormSectionPlan(string Key, string? Title, string? TitleEn, int Columns, IReadOnlyList<FieldDefinition> Fields, string? VisibleWhen);
