namespace Platform.Runtime.Execution.Organisation;

/// <summary>Validation messages collected per request property, turned into an Invalid result.</summary>
internal sealed class Errors
{
    private readonly Dictionary<string, List<string>> messages = new(StringComparer.Ordinal);

    public bool Any => messages.Count > 0;

    public void Add(string field, string message) => (messages.TryGetValue(field, out var list) ? list : messages[field] = []).Add(message);

    public CommandResult<T> Result<T>() => CommandResult<T>.Invalid(messages.ToDictionary(m => m.Key, m => (IReadOnlyList<string>)m.Value, StringComparer.Ordinal));
}
