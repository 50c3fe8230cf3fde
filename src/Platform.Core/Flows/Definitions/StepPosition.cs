namespace Platform.Core.Flows.Definitions;

/// <summary>Where the designer drew a node on the canvas.</summary>
public sealed record StepPosition(double X, double Y);
