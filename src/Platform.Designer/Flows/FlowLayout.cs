using Platform.Core.Flows.Definitions;

namespace Platform.Designer.Flows;

/// <summary>
/// Lays a flow out left to right for definitions without positions (written by hand, imported from elsewhere):
/// each step goes into the column of its longest path from the start (edges that close a loop are ignored), the
/// longest path runs straight along the middle, and the other steps of a column sit above and below it in the order
/// of their predecessors, so edges cross little. Positions are node centres.
/// </summary>
public static class FlowLayout
{
    public const double ColumnWidth = 210;

    public const double RowHeight = 120;

    public const double Left = 100;

    public const double Top = 100;

    /// <summary>True when a step has no position: the designer lays the flow out before drawing it.</summary>
    public static bool NeedsLayout(FlowDefinition flow) => flow.Steps.Any(s => s.Position is null);

    /// <summary>The flow with every step placed.</summary>
    public static FlowDefinition Arrange(FlowDefinition flow)
    {
        if (flow.Steps.Count == 0)
        {
            return flow;
        }

        var keys = flow.Steps.Select(s => s.Key).ToList();
        var known = keys.ToHashSet(StringComparer.Ordinal);
        var outgoing = keys.ToDictionary(k => k, k => flow.Outgoing(k).Select(t => t.To).Where(known.Contains).Distinct().ToList(), StringComparer.Ordinal);

        // Depth-first from the start (then from any step not reached) to find the edges that close loops.
        var back = new HashSet<(string, string)>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var roots = flow.Steps.Where(s => s.Type == "start").Select(s => s.Key).Concat(keys).ToList();
        foreach (var root in roots)
        {
            Visit(root, outgoing, state, back);
        }

        // Longest path layering over the edges that remain (a DAG); each step remembers the predecessor that pushed it furthest.
        var column = keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var via = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in TopologicalOrder(keys, outgoing, back))
        {
            foreach (var next in outgoing[key].Where(n => !back.Contains((key, n))))
            {
                if (column[key] + 1 > column[next])
                {
                    column[next] = column[key] + 1;
                    via[next] = key;
                }
            }
        }

        // The spine: the longest path, ending at the furthest end step, drawn straight along row 0.
        var last = keys.Where(k => flow.FindStep(k)!.Type == "end").DefaultIfEmpty(keys[0]).MaxBy(k => column[k])!;
        if (column.Values.Max() > column[last])
        {
            last = keys.MaxBy(k => column[k])!;
        }

        var spine = new HashSet<string>(StringComparer.Ordinal) { last };
        for (var at = last; via.TryGetValue(at, out var previous); at = previous)
        {
            spine.Add(previous);
        }

        // Other steps of a column sit above and below the spine, ordered by where their predecessors are.
        var incoming = keys.ToDictionary(k => k, k => flow.Incoming(k).Select(t => t.From).Where(f => known.Contains(f) && !back.Contains((f, k))).ToList(), StringComparer.Ordinal);
        var row = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var members in column.GroupBy(p => p.Value).OrderBy(g => g.Key).Select(g => keys.Where(k => column[k] == g.Key).ToList()))
        {
            var others = members
                .Where(k => !spine.Contains(k))
                .Select((k, i) => (Key: k, Weight: incoming[k].Where(row.ContainsKey).Select(f => row[f]).DefaultIfEmpty(0).Average(), Index: i))
                .OrderBy(m => m.Weight)
                .ThenBy(m => m.Index)
                .Select(m => m.Key)
                .ToList();
            var centre = members.FirstOrDefault(spine.Contains);
            if (centre is null)
            {
                for (var i = 0; i < others.Count; i++)
                {
                    row[others[i]] = i - ((others.Count - 1) / 2.0);
                }

                continue;
            }

            row[centre] = 0;
            var above = (others.Count + 1) / 2;
            for (var i = 0; i < others.Count; i++)
            {
                row[others[i]] = i < above ? i - above : i - above + 1;
            }
        }

        var lowest = row.Values.Min();
        return flow with
        {
            Steps = flow.Steps.Select(s => s with
            {
                Position = new StepPosition(Left + (column[s.Key] * ColumnWidth), Top + ((row[s.Key] - lowest) * RowHeight)),
            }).ToList(),
        };
    }

    private static void Visit(string key, Dictionary<string, List<string>> outgoing, Dictionary<string, int> state, HashSet<(string, string)> back)
    {
        if (state.ContainsKey(key))
        {
            return;
        }

        // 1 = on the current path, 2 = done; an explicit stack keeps long flows off the call stack.
        var stack = new Stack<(string Key, int Next)>();
        state[key] = 1;
        stack.Push((key, 0));
        while (stack.Count > 0)
        {
            var (current, next) = stack.Pop();
            var targets = outgoing[current];
            if (next >= targets.Count)
            {
                state[current] = 2;
                continue;
            }

            stack.Push((current, next + 1));
            var target = targets[next];
            if (!state.TryGetValue(target, out var seen))
            {
                state[target] = 1;
                stack.Push((target, 0));
            }
            else if (seen == 1)
            {
                back.Add((current, target));
            }
        }
    }

    private static List<string> TopologicalOrder(List<string> keys, Dictionary<string, List<string>> outgoing, HashSet<(string, string)> back)
    {
        var indegree = keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        foreach (var (from, targets) in outgoing)
        {
            foreach (var to in targets.Where(t => !back.Contains((from, t))))
            {
                indegree[to]++;
            }
        }

        var queue = new Queue<string>(keys.Where(k => indegree[k] == 0));
        var order = new List<string>();
        while (queue.Count > 0)
        {
            var key = queue.Dequeue();
            order.Add(key);
            foreach (var to in outgoing[key].Where(t => !back.Contains((key, t))))
            {
                if (--indegree[to] == 0)
                {
                    queue.Enqueue(to);
                }
            }
        }

        return order;
    }
}
