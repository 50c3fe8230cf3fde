namespace Platform.Runtime.Execution;

/// <summary>The result of a command: a value, or why there is none (errors keyed by field path for Invalid).</summary>
public sealed record CommandResult<T>(CommandOutcome Outcome, T? Value, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors = null, string? Detail = null)
{
    public static CommandResult<T> Ok(T value) => new(CommandOutcome.Ok, value);

    public static CommandResult<T> NotFound(string? detail = null) => new(CommandOutcome.NotFound, default, null, detail);

    public static CommandResult<T> Conflict(string detail) => new(CommandOutcome.Conflict, default, null, detail);

    public static CommandResult<T> Forbidden(string detail) => new(CommandOutcome.Forbidden, default, null, detail);

    public static CommandResult<T> Invalid(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) => new(CommandOutcome.Invalid, default, errors);

    public static CommandResult<T> Invalid(string field, string message) =>
        new(CommandOutcome.Invalid, default, new Dictionary<string, IReadOnlyList<string>> { [field] = [message] });
}
