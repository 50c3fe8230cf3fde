using System.Text.Json.Nodes;

namespace Platform.Core.Expressions;

/// <summary>
/// The one sandboxed expression language (JavaScript via Jint) used for formulas, validation,
/// visibility, defaults and flow/rule conditions. Thread-safe.
/// </summary>
public interface IExpressionEngine
{
    /// <summary>Parses without running; returns the fault (syntax or forbidden construct) or null.</summary>
    ExpressionFault? Check(string source);

    /// <summary>Identifiers the expression reads as free variables (used for dependencies and cycles).</summary>
    IReadOnlySet<string> GetFreeVariables(string source);

    /// <summary>Evaluates and converts the result to JSON (undefined → null). Throws <see cref="ExpressionFault"/>.</summary>
    JsonNode? Evaluate(string source, ExpressionScope scope);

    /// <summary>Evaluates with JavaScript truthiness. Throws <see cref="ExpressionFault"/>.</summary>
    bool EvaluateBool(string source, ExpressionScope scope);
}
