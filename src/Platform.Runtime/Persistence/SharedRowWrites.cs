using System.Runtime.CompilerServices;
using Platform.Core.Metadata;

namespace Platform.Runtime.Persistence;

/// <summary>
/// The entities of an app whose writes also lock rows shared with other records' writes: the daily and monthly rollup rows
/// of its rolled-up reports, and the parent records whose aggregate fields count or sum it. Their triggers lock those rows in
/// one order for a lone write, so lone writers wait for each other and never deadlock; a group commit of several creates
/// would lock them in the creates' arrival order, so these entities are created alone.
/// </summary>
public static class SharedRowWrites
{
    private static readonly ConditionalWeakTable<AppDefinition, IReadOnlySet<string>> Cache = [];

    /// <summary>True when a write of a record of <paramref name="entity"/> locks rows shared with other records.</summary>
    public static bool Of(AppDefinition app, string entity) => Cache.GetValue(app, Entities).Contains(entity);

    private static IReadOnlySet<string> Entities(AppDefinition app)
    {
        var entities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in app.Reports)
        {
            if (report.Rollup && report.Entity is { } entity)
            {
                entities.Add(entity);
            }
        }

        foreach (var field in app.Entities.SelectMany(e => e.Fields))
        {
            if (field.Aggregate is { } aggregate)
            {
                entities.Add(aggregate.Entity);
            }
        }

        return entities;
    }
}
