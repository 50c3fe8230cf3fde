using Platform.Core.Expressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms;

/// <summary>Orders formula fields so each is computed after the formulas it reads, and finds cycles.</summary>
public static class FormulaGraph
{
    /// <summary>
    /// Formula fields in evaluation order. Fields caught in a cycle are left out and each cycle is
    /// returned as the chain of keys (<c>a → b → a</c>). Formulas that do not parse have no dependencies.
    /// </summary>
    public static IReadOnlyList<FieldDefinition> Order(
        IReadOnlyList<FieldDefinition> fields, IExpressionEngine engine, out IReadOnlyList<IReadOnlyList<string>> cycles)
    {
        var formulas = fields.Where(f => f.Type == "formula" && !string.IsNullOrWhiteSpace(f.Formula))
            .GroupBy(f => f.Key, StringComparer.Ordinal).Select(g => g.First())
            .ToDictionary(f => f.Key, StringComparer.Ordinal);
        var deps = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, field) in formulas)
        {
            IReadOnlySet<string> free;
            try
            {
                free = engine.GetFreeVariables(field.Formula!);
            }
            catch (ExpressionFault)
            {
                free = new HashSet<string>();
            }

            deps[key] = free.Where(formulas.ContainsKey).ToList();
        }

        var ordered = new List<FieldDefinition>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var (key, field) in formulas)
            {
                if (!done.Contains(key) && deps[key].All(done.Contains))
                {
                    done.Add(key);
                    ordered.Add(field);
                    progress = true;
                }
            }
        }

        var found = new List<IReadOnlyList<string>>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in formulas.Keys.Where(k => !done.Contains(k)))
        {
            if (reported.Contains(start))
            {
                continue;
            }

            var path = new List<string> { start };
            var current = start;
            while (true)
            {
                var next = deps[current].First(d => !done.Contains(d));
                var at = path.IndexOf(next);
                if (at >= 0)
                {
                    var cycle = path.Skip(at).Append(next).ToList();
                    found.Add(cycle);

                    foreach (var k in path)
                    {
                        reported.Add(k);
                    }

                    break;
                }

                if (reported.Contains(next))
                {
                    foreach (var k in path)
                    {
                        reported.Add(k);
                    }

                    break;
                }

                path.Add(next);
                current = next;
            }
        }

        cycles = found;
        return ordered;
    }
}
