using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Access;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Access;

/// <summary>
/// One caller's access to one entity, applied: the read scope added to list queries, hidden fields removed from
/// answers, and the fields a command may not change. <see cref="IsFull"/> permits skip all of it.
/// </summary>
public sealed record RecordPermit(EntityDefinition Entity, Caller Caller, EntityAccess Access)
{
    public bool IsFull => Access.IsFull;

    /// <summary>The caller's permit for the entity (their roles' grants combined).</summary>
    public static RecordPermit For(EntityDefinition entity, Caller caller) => new(entity, caller, EntityAccess.For(entity, caller));

    /// <summary>The entity as this caller sees it: without hidden fields (list filters, sorts and exports use it, so a hidden value cannot be probed).</summary>
    public EntityDefinition VisibleEntity => IsFull ? Entity : Entity with { Fields = Entity.Fields.Where(f => Access.Field(f.Key) != FieldAccess.Hidden).ToList() };

    /// <summary>
    /// The entity as the caller's generated form shows it: fields they may only read are read-only, hidden ones
    /// never visible (kept in the definition so formulas that read them still compile).
    /// </summary>
    public EntityDefinition FormEntity => IsFull
        ? Entity
        : Entity with
        {
            Fields = Entity.Fields.Select(f => Access.Field(f.Key) switch
            {
                FieldAccess.Hidden => f with { ReadOnly = true, VisibleWhen = "false", Required = false, RequiredWhen = null },
                FieldAccess.Read => f with { ReadOnly = true },
                _ => f,
            }).ToList(),
        };

    /// <summary>The read scope as a condition over <c>alias</c>; null when every row may be read.</summary>
    public string? ReadPredicate(string alias, Func<object, string> param) => RowScopeSql.Predicate(Entity, Access.Read, Caller, alias, param);

    /// <summary>The list query limited to the rows the caller may read.</summary>
    public CompiledRecordQuery Restrict(CompiledRecordQuery query)
    {
        var parameters = query.Parameters.ToList();
        var predicate = ReadPredicate("records", value =>
        {
            parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + parameters.Count;
        });
        return predicate is null ? query : query with { Where = $"{query.Where} and {predicate}", Parameters = parameters };
    }

    /// <summary>The record without the fields the caller may not see.</summary>
    public StoredRecord Visible(StoredRecord record) => IsFull ? record : record with { Data = Visible(record.Data) };

    /// <summary>The data without the fields the caller may not see (a copy when any is removed).</summary>
    public JsonObject Visible(JsonObject data)
    {
        var hidden = Access.HiddenFields(Entity).Where(data.ContainsKey).ToList();
        if (hidden.Count == 0)
        {
            return data;
        }

        var copy = (JsonObject)data.DeepClone();
        hidden.ForEach(key => copy.Remove(key));
        return copy;
    }

    /// <summary>The data without <paramref name="keys"/> as well (the fields a flow step hides from its assignee).</summary>
    public JsonObject Visible(JsonObject data, IReadOnlyCollection<string> keys)
    {
        var visible = Visible(data);
        if (!keys.Any(visible.ContainsKey))
        {
            return visible;
        }

        var copy = ReferenceEquals(visible, data) ? (JsonObject)data.DeepClone() : visible;
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    /// <summary>
    /// The submitted fields the caller may not change (hidden or read-only for their roles) whose value differs
    /// from the stored one — sending a read-only field back unchanged is fine; changing it is refused.
    /// </summary>
    public Dictionary<string, IReadOnlyList<string>> WriteProblems(JsonObject submitted, JsonObject? existing)
    {
        var problems = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (IsFull)
        {
            return problems;
        }

        foreach (var (key, value) in submitted)
        {
            if (Entity.FindField(key) is null || Access.Field(key) == FieldAccess.Write)
            {
                continue;
            }

            var stored = existing?[key];
            if (!JsonNode.DeepEquals(value, stored))
            {
                problems[key] = ["你的角色不能修改这个字段 / your role may not change this field"];
            }
        }

        return problems;
    }
}
