namespace Platform.Core.Expressions;

/// <summary>The one exception every expression failure is mapped to.</summary>
public sealed class ExpressionFault(string expression, ExpressionFaultKind kind, string reason, Exception? inner = null)
    : Exception($"Expression failed ({kind}): {reason} — in `{Truncate(expression)}`", inner)
{
    public string Expression { get; } = expression;

    public ExpressionFaultKind Kind { get; } = kind;

    public string Reason { get; } = reason;

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
