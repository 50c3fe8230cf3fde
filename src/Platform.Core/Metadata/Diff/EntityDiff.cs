using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Core.Metadata.Diff;

/// <summary>
/// Compares a published entity with a draft: fields added, removed and moved on the form, every changed property of a
/// field or of the entity with its old and new value, and section changes. Pure; the order of the result is stable
/// (entity, sections, fields in the draft's order, removed fields last).
/// </summary>
public static class EntityDiff
{
    public static IReadOnlyList<EntityChange> Compare(EntityDefinition? before, EntityDefinition after)
    {
        var changes = new List<EntityChange>();
        if (before is null)
        {
            changes.Add(new EntityChange(EntityChangeKind.EntityAdded, After: after.Key));
            var layout = Layout(after);
            changes.AddRange(after.Fields.Select(f => new EntityChange(EntityChangeKind.FieldAdded, f.Key, SectionOf(layout, f.Key), After: f.Type)));
            return changes;
        }

        foreach (var (property, old, now) in Properties(
            Node(before with { Fields = [], Form = null, Version = 0 }),
            Node(after with { Fields = [], Form = null, Version = 0 })))
        {
            changes.Add(new EntityChange(EntityChangeKind.EntityChanged, Property: property, Before: old, After: now));
        }

        CompareSections(Layout(before), Layout(after), changes);

        var beforeFields = before.Fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        var afterKeys = after.Fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var moved = MovedFields(Layout(before), Layout(after));
        foreach (var field in after.Fields)
        {
            if (!beforeFields.TryGetValue(field.Key, out var old))
            {
                changes.Add(new EntityChange(EntityChangeKind.FieldAdded, field.Key, SectionOf(Layout(after), field.Key), After: field.Type));
                continue;
            }

            if (moved.TryGetValue(field.Key, out var move))
            {
                changes.Add(new EntityChange(EntityChangeKind.FieldMoved, field.Key, move.To, Before: move.From, After: move.To));
            }

            foreach (var (property, was, now) in Properties(Node(old), Node(field)))
            {
                changes.Add(new EntityChange(EntityChangeKind.FieldChanged, field.Key, Property: property, Before: was, After: now));
            }
        }

        changes.AddRange(before.Fields.Where(f => !afterKeys.Contains(f.Key)).Select(f => new EntityChange(EntityChangeKind.FieldRemoved, f.Key, Before: f.Type)));
        return changes;
    }

    /// <summary>The form as shown: the layout's sections, then the fields it does not place in a trailing default section.</summary>
    public static IReadOnlyList<FormSection> Layout(EntityDefinition entity)
    {
        var sections = entity.Form?.Sections.ToList() ?? [];
        var placed = sections.SelectMany(s => s.Fields).ToHashSet(StringComparer.Ordinal);
        var rest = entity.Fields.Where(f => !placed.Contains(f.Key)).Select(f => f.Key).ToList();
        if (rest.Count > 0)
        {
            sections.Add(new FormSection { Key = sections.Count == 0 ? "main" : "_unplaced", Fields = rest });
        }

        return sections;
    }

    private static void CompareSections(IReadOnlyList<FormSection> before, IReadOnlyList<FormSection> after, List<EntityChange> changes)
    {
        var old = before.ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var section in after)
        {
            if (!old.TryGetValue(section.Key, out var was))
            {
                changes.Add(new EntityChange(EntityChangeKind.SectionAdded, Section: section.Key, After: section.Title ?? section.Key));
                continue;
            }

            foreach (var (property, from, to) in Properties(Node(was with { Fields = [] }), Node(section with { Fields = [] })))
            {
                changes.Add(new EntityChange(EntityChangeKind.SectionChanged, Section: section.Key, Property: property, Before: from, After: to));
            }
        }

        var keys = after.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(before.Where(s => !keys.Contains(s.Key)).Select(s => new EntityChange(EntityChangeKind.SectionRemoved, Section: s.Key, Before: s.Title ?? s.Key)));
    }

    /// <summary>
    /// Fields present in both layouts that changed section, or that fell out of the longest common order of the fields
    /// both versions share (so inserting or removing a field does not count as moving its neighbours).
    /// </summary>
    private static Dictionary<string, (string From, string To)> MovedFields(IReadOnlyList<FormSection> before, IReadOnlyList<FormSection> after)
    {
        var beforeSection = before.SelectMany(s => s.Fields.Select(f => (f, s.Key))).GroupBy(p => p.f).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var afterSection = after.SelectMany(s => s.Fields.Select(f => (f, s.Key))).GroupBy(p => p.f).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var a = before.SelectMany(s => s.Fields).Where(afterSection.ContainsKey).Distinct().ToList();
        var b = after.SelectMany(s => s.Fields).Where(beforeSection.ContainsKey).Distinct().ToList();
        var kept = LongestCommonSubsequence(a, b);
        var moved = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var key in b)
        {
            if (beforeSection[key] != afterSection[key] || !kept.Contains(key))
            {
                moved[key] = (beforeSection[key], afterSection[key]);
            }
        }

        return moved;
    }

    private static HashSet<string> LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var length = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                length[i, j] = a[i] == b[j] ? length[i + 1, j + 1] + 1 : Math.Max(length[i + 1, j], length[i, j + 1]);
            }
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0, j = 0; i < a.Count && j < b.Count;)
        {
            if (a[i] == b[j])
            {
                kept.Add(a[i]);
                i++;
                j++;
            }
            else if (length[i + 1, j] >= length[i, j + 1])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return kept;
    }

    private static string? SectionOf(IReadOnlyList<FormSection> layout, string field) => layout.FirstOrDefault(s => s.Fields.Contains(field))?.Key;

    private static JsonObject Node<T>(T value) => JsonSerializer.SerializeToNode(value, MetadataJson.Options)!.AsObject();

    /// <summary>Every top-level property whose JSON differs, with its old and new value as compact JSON (null when absent).</summary>
    private static IEnumerable<(string Property, string? Before, string? After)> Properties(JsonObject before, JsonObject after)
    {
        var names = before.Select(p => p.Key).Concat(after.Select(p => p.Key)).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var was = before[name];
            var now = after[name];
            if (!JsonNode.DeepEquals(Normal(was), Normal(now)))
            {
                yield return (name, Text(was), Text(now));
            }
        }
    }

    // Defaults the serializer writes (false, empty lists) read as "absent" so a draft that spells them out changes nothing.
    private static JsonNode? Normal(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
        JsonArray { Count: 0 } => null,
        JsonObject { Count: 0 } => null,
        _ => node,
    };

    private static string? Text(JsonNode? node) => node?.ToJsonString(MetadataJson.Options);
}
