namespace Platform.Designer.Services;

/// <summary>What an administration change did: nothing wrong, errors per input property, or a refusal explained in <see cref="Detail"/>.</summary>
public sealed record AdminOutcome(IReadOnlyDictionary<string, IReadOnlyList<string>> Errors, string? Detail)
{
    public static AdminOutcome Ok { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), null);

    public bool Succeeded => Errors.Count == 0 && Detail is null;

    /// <summary>The first message for <paramref name="field"/>, or null.</summary>
    public string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) && messages.Count > 0 ? messages[0] : null;

    /// <summary>Every message in one line (for a snackbar).</summary>
    public string Summary => Detail ?? string.Join("；", Errors.SelectMany(e => e.Value));
}
