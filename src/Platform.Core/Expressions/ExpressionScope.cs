using System.Text.Json.Nodes;

namespace Platform.Core.Expressions;

/// <summary>
/// What an expression sees: each variable (a record's field keys, or a row's field keys plus
/// <c>$record</c>) as a read-only JavaScript value, plus the context values <c>$now</c> and <c>$user</c>.
/// </summary>
public sealed class ExpressionScope
{
    public ExpressionScope(IReadOnlyDictionary<string, JsonNode?> variables, DateTimeOffset now, string? userName = null)
    {
        Variables = variables;
        Now = now;
        UserName = userName;
    }

    public IReadOnlyDictionary<string, JsonNode?> Variables { get; }

    /// <summary>The moment the command runs; <c>today()</c> and <c>$now</c> use it (China Standard Time for dates).</summary>
    public DateTimeOffset Now { get; }

    public string? UserName { get; }
}
