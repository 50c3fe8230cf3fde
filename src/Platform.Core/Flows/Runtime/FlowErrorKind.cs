namespace Platform.Core.Flows.Runtime;

/// <summary>Refusal kinds: 404, 403, 409, 422.</summary>
public enum FlowErrorKind
{
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}
