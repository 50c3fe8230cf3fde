namespace Platform.Core.Expressions;

/// <summary>Finite limits applied to every expression run.</summary>
public sealed record ExpressionLimits
{
    public int TimeoutMs { get; init; } = 100;

    public int MaxStatements { get; init; } = 10_000;

    public long MaxMemoryBytes { get; init; } = 4_000_000;

    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>Longest expression source accepted.</summary>
    public int MaxSourceLength { get; init; } = 4_000;
}
