namespace Platform.Core.Flows.Runtime;

/// <summary>Why a command was refused; the runtime maps the kind to an HTTP status.</summary>
public sealed record FlowError(FlowErrorKind Kind, string Message, string? Field = null);
