namespace Platform.Runtime.Execution;

/// <summary>How a command ended; endpoints map it to a status code.</summary>
public enum CommandOutcome
{
    Ok,
    NotFound,
    Conflict,
    Invalid,
    Forbidden,
}
