namespace Platform.Runtime.Execution.Mobile;

/// <summary>A part already recorded on the job: the usage record, the part and its name, the quantity, and whether the caller may remove it.</summary>
public sealed record MobilePartLine(Guid Id, string? PartId, string PartName, decimal Quantity, DateTimeOffset CreatedAt, bool CanRemove);
