using Platform.Core.Metadata;

namespace Platform.Core.Reports;

/// <summary>The fields reports filter and group on (dimensions, fixed filters, measure conditions, viewer parameters), by entity, so the runtime can index them.</summary>
public static class ReportFields
{
    /// <summary>Every (entity, field) a report reads as a condition or grouping, following reference paths to the entity that holds the value.</summary>
    public static IReadOnlySet<(string Entity, string Field)> Used(AppDefinition app)
    {
        var used = new HashSet<(string, string)>();
        foreach (var report in app.Reports)
        {
            var root = ReportValidator.RootOf(app, report);
            if (root is null)
            {
                continue;
            }

            var visits = report.Flow is not null;
            void Add(EntityDefinition entity, string? path, bool ofVisits)
            {
                if (ReportPaths.Resolve(app, entity, path, ofVisits, out _) is { Field: { } field } resolved && resolved.Kind != ReportValueKind.List)
                {
                    used.Add((resolved.Entity.Key, field.Key));
                }

                // The hops themselves are joined on: index the reference fields too.
                if (ReportPaths.Resolve(app, entity, path, ofVisits, out _) is { } withHops)
                {
                    var at = entity;
                    foreach (var hop in withHops.Hops)
                    {
                        used.Add((at.Key, hop.Via.Key));
                        at = hop.Target;
                    }
                }
            }

            foreach (var dimension in report.Dimensions)
            {
                Add(root, dimension.Field, visits);
            }

            foreach (var filter in report.Filters)
            {
                Add(root, filter.Field, visits);
            }

            foreach (var parameter in report.Parameters)
            {
                Add(root, parameter.Field, visits);
            }

            foreach (var measure in report.Measures)
            {
                var entity = measure.Entity is null ? root : app.FindEntity(measure.Entity);
                if (entity is null)
                {
                    continue;
                }

                foreach (var condition in measure.Where)
                {
                    Add(entity, condition.Field, measure.Entity is null && visits);
                }

                foreach (var mapped in measure.Map?.Values ?? [])
                {
                    Add(entity, mapped, false);
                }
            }
        }

        return used;
    }
}
