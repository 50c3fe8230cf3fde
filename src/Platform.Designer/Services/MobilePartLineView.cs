namespace Platform.Designer.Services;

/// <summary>A part already recorded on the job, and whether the viewer may remove it.</summary>
public sealed record MobilePartLineView(Guid Id, string PartName, decimal Quantity, bool CanRemove);
