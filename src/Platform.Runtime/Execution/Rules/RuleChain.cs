using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// One command's chain of rule firings, all inside the command's transaction: the events still to look at, the
/// loop and depth guard, the records as the chain has changed them, and the firing log written at the end.
/// </summary>
public sealed class RuleChain(AppDefinition app, NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, int maxDepth)
{
    public AppDefinition App { get; } = app;

    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public DateTimeOffset Now { get; } = now;

    public Guid Id { get; } = Guid.CreateVersion7();

    public RuleChainGuard Guard { get; } = new(maxDepth);

    public Queue<PendingRuleEvent> Pending { get; } = new();

    public List<RuleFiring> Firings { get; } = [];

    /// <summary>Records as the chain last wrote them (set-fields, adjust), so later rules see current values.</summary>
    public Dictionary<Guid, JsonObject> Records { get; } = [];

    public int NextSeq() => Firings.Count + 1;

    public void Add(RuleEvent e, int depth = 0, int? causedBy = null) => Pending.Enqueue(new PendingRuleEvent(e, depth, causedBy));

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);
}
