using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Hooks;

/// <summary>
/// A path into an inbound payload: a JSON pointer (<c>/order/no</c>) or a dotted path with an optional <c>$.</c>
/// prefix, indexes and <c>[*]</c> (<c>$.orderNo</c>, <c>customer.name</c>, <c>lines[0].sku</c>, <c>lines[*].qty</c>).
/// <c>[*]</c> maps the rest of the path over an array and yields an array.
/// </summary>
public sealed class PayloadPath
{
    private const int All = -1;

    private readonly IReadOnlyList<(string? Name, int Index)> steps;

    private PayloadPath(IReadOnlyList<(string? Name, int Index)> steps) => this.steps = steps;

    /// <summary>Parses a path, or returns null with the reason.</summary>
    public static PayloadPath? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 500)
        {
            error = "须为 JSON 指针或路径，如 $.orderNo / must be a JSON pointer or path such as $.orderNo";
            return null;
        }

        var steps = new List<(string? Name, int Index)>();
        if (text.StartsWith('/'))
        {
            foreach (var part in text[1..].Split('/'))
            {
                var name = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                steps.Add((name, int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : All - 1));
            }

            return new PayloadPath(steps);
        }

        var rest = text == "$" ? string.Empty : text.StartsWith("$.", StringComparison.Ordinal) ? text[2..] : text.StartsWith("$[", StringComparison.Ordinal) ? text[1..] : text;
        var at = 0;
        while (at < rest.Length)
        {
            if (rest[at] == '[')
            {
                var close = rest.IndexOf(']', at);
                var inner = close < 0 ? null : rest[(at + 1)..close];
                if (inner == "*")
                {
                    steps.Add((null, All));
                }
                else if (inner is not null && int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add((null, index));
                }
                else
                {
                    error = $"'{text}' 中的下标无效，须为 [数字] 或 [*] / index must be [n] or [*]";
                    return null;
                }

                at = close + 1;
                if (at < rest.Length && rest[at] == '.')
                {
                    at++;
                }

                continue;
            }

            var end = rest.IndexOfAny(['.', '['], at);
            end = end < 0 ? rest.Length : end;
            if (end == at)
            {
                error = $"'{text}' 中有空的路径段 / empty segment";
                return null;
            }

            steps.Add((rest[at..end], All - 1));
            at = end < rest.Length && rest[end] == '.' ? end + 1 : end;
        }

        return new PayloadPath(steps);
    }

    /// <summary>The value at the path (a copy), or <c>found = false</c> when the payload has nothing there.</summary>
    public JsonNode? Evaluate(JsonNode? root, out bool found) => Walk(root, 0, out found)?.DeepClone();

    private JsonNode? Walk(JsonNode? node, int step, out bool found)
    {
        found = true;
        if (step == steps.Count)
        {
            return node;
        }

        var (name, index) = steps[step];
        switch (node)
        {
            case JsonArray array when index == All:
                var projected = new JsonArray();
                foreach (var item in array)
                {
                    var value = Walk(item, step + 1, out var itemFound);
                    projected.Add(itemFound ? value?.DeepClone() : null);
                }

                return projected;
            case JsonArray array when index >= 0:
                if (index < array.Count)
                {
                    return Walk(array[index], step + 1, out found);
                }

                break;
            case JsonObject obj when name is not null:
                if (obj.TryGetPropertyValue(name, out var child))
                {
                    return Walk(child, step + 1, out found);
                }

                break;
        }

        found = false;
        return null;
    }
}
