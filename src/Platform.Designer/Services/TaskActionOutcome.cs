namespace Platform.Designer.Services;

/// <summary>How a task action ended.</summary>
public enum TaskActionOutcome
{
    Ok,
    NotFound,
    Conflict,
    Invalid,
    Forbidden,
}
