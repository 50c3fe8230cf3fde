using Jint;

namespace Platform.Core.Expressions;

/// <summary>A parsed expression: the wrapper function taking its free variables as parameters, or the fault that stops it.</summary>
internal sealed record CompiledExpression(string Source, Prepared<Acornima.Ast.Script>? Wrapper, IReadOnlyList<string> Parameters, ExpressionFault? Fault);
