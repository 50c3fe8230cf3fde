namespace Platform.Core.Expressions;

/// <summary>Why an expression failed.</summary>
public enum ExpressionFaultKind
{
    Syntax,
    Runtime,
    Timeout,
    StatementLimit,
    MemoryLimit,
    RecursionLimit,
    Forbidden,
}
