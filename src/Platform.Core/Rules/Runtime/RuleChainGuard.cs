namespace Platform.Core.Rules.Runtime;

/// <summary>
/// Keeps one chain of rule firings finite: a firing caused by another is one level deeper, the chain stops at
/// <see cref="MaxDepth"/>, and one rule never fires twice for one record in one chain (a loop).
/// </summary>
public sealed class RuleChainGuard(int maxDepth = RuleChainGuard.DefaultMaxDepth)
{
    public const int DefaultMaxDepth = 8;

    private readonly HashSet<(string Rule, Guid? Record)> fired = [];

    public int MaxDepth { get; } = maxDepth;

    /// <summary>Null when the rule may fire at <paramref name="depth"/>; otherwise why not (and it is then not recorded).</summary>
    public string? Refuse(string rule, Guid? record, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"depth limit: chain depth {depth} exceeds the maximum of {MaxDepth} / 规则链超过最大深度 {MaxDepth}";
        }

        if (record is not null && fired.Contains((rule, record)))
        {
            return $"loop: rule '{rule}' already fired for record {record} in this chain (depth {depth} of {MaxDepth}) / 同一规则链中规则已对该记录触发过";
        }

        fired.Add((rule, record));
        return null;
    }
}
