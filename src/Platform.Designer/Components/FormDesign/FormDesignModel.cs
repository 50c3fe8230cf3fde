using System.Text.RegularExpressions;
using Platform.Core.Metadata;
using Platform.Core.Metadata.Diff;

namespace Platform.Designer.Components.FormDesign;

/// <summary>
/// The entity a form designer edits: fields and sections that palette drops, drags, renames and removals change in place,
/// turned back into an <see cref="EntityDefinition"/> (fields in form order) to save, diff and publish. Pure: no UI, no I/O.
/// </summary>
public sealed partial class FormDesignModel
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "id", "version", "data", "flow" };

    private readonly List<FieldDefinition> fields = [];

    private FormDesignModel(string key) => Key = key;

    public string Key { get; }

    public string Label { get; set; } = string.Empty;

    public string? LabelEn { get; set; }

    public string? TitleField { get; set; }

    /// <summary>Cross-field rules, kept as they were (the form designer does not edit them).</summary>
    public IReadOnlyList<ValidationRule> Validations { get; private set; } = [];

    public List<DesignSection> Sections { get; } = [];

    public IReadOnlyList<FieldDefinition> Fields => fields;

    /// <summary>A new entity with one empty two-column section.</summary>
    public static FormDesignModel New(string key)
    {
        var model = new FormDesignModel(key) { Label = key };
        model.Sections.Add(new DesignSection { Key = "basic", Title = "基本信息", TitleEn = "Basics", Columns = 2 });
        return model;
    }

    /// <summary>The entity's fields and layout; fields the layout does not place go to a trailing section.</summary>
    public static FormDesignModel From(EntityDefinition entity)
    {
        var model = new FormDesignModel(entity.Key)
        {
            Label = entity.Label,
            LabelEn = entity.LabelEn,
            TitleField = entity.TitleField,
            Validations = entity.Validations,
        };
        model.fields.AddRange(entity.Fields);
        foreach (var section in EntityDiff.Layout(entity))
        {
            var design = new DesignSection
            {
                Key = section.Key == "_unplaced" ? model.FreeSectionKey("more") : section.Key,
                Title = section.Key is "_unplaced" or "main" && section.Title is null ? "其他信息" : section.Title,
                TitleEn = section.Key is "_unplaced" or "main" && section.TitleEn is null ? "More" : section.TitleEn,
                Columns = Math.Clamp(section.Columns, 1, 3),
                VisibleWhen = section.VisibleWhen,
            };
            design.Fields.AddRange(section.Fields.Where(k => entity.FindField(k) is not null && model.Sections.All(s => !s.Fields.Contains(k))));
            model.Sections.Add(design);
        }

        if (model.Sections.Count == 0)
        {
            model.Sections.Add(new DesignSection { Key = "basic", Title = "基本信息", TitleEn = "Basics", Columns = 2 });
        }

        return model;
    }

    /// <summary>The definition to save or publish: fields in the order the form shows them.</summary>
    public EntityDefinition ToEntity()
    {
        var ordered = Sections.SelectMany(s => s.Fields).Select(Find).OfType<FieldDefinition>().ToList();
        ordered.AddRange(fields.Where(f => !ordered.Contains(f)));
        return new EntityDefinition
        {
            Key = Key,
            Label = Label,
            LabelEn = string.IsNullOrWhiteSpace(LabelEn) ? null : LabelEn,
            TitleField = string.IsNullOrWhiteSpace(TitleField) ? null : TitleField,
            Fields = ordered,
            Validations = Validations,
            Form = new FormLayout
            {
                Sections = Sections.Select(s => new FormSection
                {
                    Key = s.Key,
                    Title = s.Title,
                    TitleEn = string.IsNullOrWhiteSpace(s.TitleEn) ? null : s.TitleEn,
                    Columns = s.Columns,
                    VisibleWhen = string.IsNullOrWhiteSpace(s.VisibleWhen) ? null : s.VisibleWhen,
                    Fields = s.Fields.ToList(),
                }).ToList(),
            },
        };
    }

    public FieldDefinition? Find(string key) => fields.FirstOrDefault(f => f.Key == key);

    public DesignSection? SectionOf(string key) => Sections.FirstOrDefault(s => s.Fields.Contains(key));

    /// <summary>Drops a new field of the type into the section at the index; its key is the type's name with a free number.</summary>
    public FieldDefinition AddField(string type, string section, int index)
    {
        var prefix = type.Replace('-', '_');
        var n = 1;
        while (Find($"{prefix}_{n}") is not null)
        {
            n++;
        }

        var field = FieldPalette.NewField(type, $"{prefix}_{n}");
        fields.Add(field);
        Place(field.Key, section, index);
        return field;
    }

    /// <summary>Moves a field to the index of a section (the index counts the section's fields before the move).</summary>
    public void Move(string key, string section, int index)
    {
        if (Find(key) is null)
        {
            return;
        }

        var from = SectionOf(key);
        if (from is not null)
        {
            var at = from.Fields.IndexOf(key);
            from.Fields.RemoveAt(at);
            if (from.Key == section && at < index)
            {
                index--;
            }
        }

        Place(key, section, index);
    }

    public void Update(string key, Func<FieldDefinition, FieldDefinition> change)
    {
        var index = fields.FindIndex(f => f.Key == key);
        if (index >= 0)
        {
            var changed = change(fields[index]);
            fields[index] = changed with { Key = key };
        }
    }

    /// <summary>Why the key cannot name a field (rule or duplicate), or null.</summary>
    public string? CheckKey(string? key, string? current = null, IEnumerable<string>? siblings = null)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "标识不能为空 / the key is required";
        }

        if (!KeyPattern().IsMatch(key))
        {
            return "须为小写字母开头的 snake_case（字母、数字、下划线，最长 63 个字符）/ must be lower snake case";
        }

        if (Reserved.Contains(key))
        {
            return $"'{key}' 是保留字 / '{key}' is reserved";
        }

        return key != current && (siblings ?? fields.Select(f => f.Key)).Contains(key) ? $"标识 '{key}' 已被使用 / the key is taken" : null;
    }

    /// <summary>Renames a field everywhere the form names it; returns the problem instead when the new key is not allowed.</summary>
    public string? RenameField(string key, string newKey)
    {
        if (key == newKey)
        {
            return null;
        }

        if (CheckKey(newKey, key) is { } problem)
        {
            return problem;
        }

        var index = fields.FindIndex(f => f.Key == key);
        if (index < 0)
        {
            return null;
        }

        fields[index] = fields[index] with { Key = newKey };
        foreach (var section in Sections)
        {
            var at = section.Fields.IndexOf(key);
            if (at >= 0)
            {
                section.Fields[at] = newKey;
            }
        }

        if (TitleField == key)
        {
            TitleField = newKey;
        }

        return null;
    }

    public void RemoveField(string key)
    {
        fields.RemoveAll(f => f.Key == key);
        SectionOf(key)?.Fields.Remove(key);
        if (TitleField == key)
        {
            TitleField = null;
        }
    }

    public DesignSection AddSection()
    {
        var section = new DesignSection { Key = FreeSectionKey("section"), Title = $"分区 {Sections.Count + 1}", TitleEn = $"Section {Sections.Count + 1}", Columns = 2 };
        Sections.Add(section);
        return section;
    }

    /// <summary>Removes a section, moving its fields to the end of the previous one; the last section cannot be removed.</summary>
    public string? RemoveSection(string key)
    {
        var index = Sections.FindIndex(s => s.Key == key);
        if (index < 0)
        {
            return null;
        }

        if (Sections.Count == 1)
        {
            return "表单至少需要一个分区 / the form needs at least one section";
        }

        var section = Sections[index];
        Sections.RemoveAt(index);
        Sections[Math.Max(0, index - 1)].Fields.AddRange(section.Fields);
        return null;
    }

    /// <summary>
    /// The field or section a publish problem points at, from its path relative to the entity (<c>$.fields[2].key</c>,
    /// <c>$.form.sections[0].columns</c>), in the order of <paramref name="published"/> (what <see cref="ToEntity"/> returned).
    /// </summary>
    public static (string? Field, string? Section) Locate(EntityDefinition published, string path)
    {
        var field = FieldPath().Match(path);
        if (field.Success && int.TryParse(field.Groups[1].Value, out var f) && f < published.Fields.Count)
        {
            return (published.Fields[f].Key, null);
        }

        var section = SectionPath().Match(path);
        if (section.Success && int.TryParse(section.Groups[1].Value, out var s) && published.Form is { } form && s < form.Sections.Count)
        {
            var inSection = SectionFieldPath().Match(path);
            if (inSection.Success && int.TryParse(inSection.Groups[1].Value, out var i) && i < form.Sections[s].Fields.Count)
            {
                return (form.Sections[s].Fields[i], form.Sections[s].Key);
            }

            return (null, form.Sections[s].Key);
        }

        return (null, null);
    }

    private void Place(string key, string section, int index)
    {
        var target = Sections.FirstOrDefault(s => s.Key == section) ?? Sections[^1];
        target.Fields.Insert(Math.Clamp(index, 0, target.Fields.Count), key);
    }

    private string FreeSectionKey(string prefix)
    {
        var n = Sections.Count + 1;
        while (Sections.Any(s => s.Key == $"{prefix}_{n}"))
        {
            n++;
        }

        return $"{prefix}_{n}";
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^\$\.fields\[(\d+)\]")]
    private static partial Regex FieldPath();

    [GeneratedRegex(@"^\$\.form\.sections\[(\d+)\]")]
    private static partial Regex SectionPath();

    [GeneratedRegex(@"^\$\.form\.sections\[\d+\]\.fields\[(\d+)\]")]
    private static partial Regex SectionFieldPath();
}
