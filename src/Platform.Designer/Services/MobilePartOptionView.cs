namespace Platform.Designer.Services;

/// <summary>A part the engineer may pick, with its detail texts (e.g. part number, stock).</summary>
public sealed record MobilePartOptionView(Guid Id, string Name, IReadOnlyList<MobileFieldView> Details);
