using Platform.Core.Expressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms;

/// <summary>What the validator precomputes once per entity definition: orders, sets and parsed patterns.</summary>
internal sealed class EntityPlan
{
    public EntityPlan(EntityDefinition entity, FieldTypeRegistry types, IExpressionEngine engine)
    {
        FieldKeys = entity.Fields.Select(f => f.Key).ToArray();
        FillTargets = entity.Fields.Where(f => f.Lookup is not null).SelectMany(f => f.Lookup!.Fill.Keys).ToHashSet(StringComparer.Ordinal);
        Lookups = entity.Fields.Where(f => f.Type == "lookup" && f.Lookup is not null)
            .OrderBy(f => f.Lookup!.Source is null ? 0 : 1).ToArray();
        Formulas = FormulaGraph.Order(entity.Fields, engine, out _);
        foreach (var table in entity.Fields.Where(f => f.Type == "sub-table" && f.Fields is not null))
        {
            RowKeys[table.Key] = table.Fields!.Select(f => f.Key).ToArray();
            RowFormulas[table.Key] = FormulaGraph.Order(table.Fields!, engine, out _);
        }

        foreach (var section in entity.Form?.Sections ?? [])
        {
            if (section.VisibleWhen is not null)
            {
                foreach (var key in section.Fields)
                {
                    SectionVisibility.TryAdd(key, section.VisibleWhen);
                }
            }
        }

        foreach (var field in entity.Fields.Where(f => f.Type == "auto-number" && f.AutoNumber is not null))
        {
            if (AutoNumberPattern.TryParse(field.AutoNumber!, out var pattern, out _))
            {
                AutoNumbers.Add((field.Key, pattern));
            }
        }

        Types = types;
    }

    public FieldTypeRegistry Types { get; }

    public IReadOnlyList<string> FieldKeys { get; }

    public IReadOnlySet<string> FillTargets { get; }

    public IReadOnlyList<FieldDefinition> Lookups { get; }

    public IReadOnlyList<FieldDefinition> Formulas { get; }

    public Dictionary<string, IReadOnlyList<string>> RowKeys { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyList<FieldDefinition>> RowFormulas { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> SectionVisibility { get; } = new(StringComparer.Ordinal);

    public List<(string Field, AutoNumberPattern Pattern)> AutoNumbers { get; } = [];

    /// <summary>Whether a submitted value for the field is taken at all (computed, system and filled fields never are).</summary>
    /// <summary>Whether a system field granted to the caller can take input at all.</summary>
    public bool AcceptsGranted(FieldDefinition field) =>
        !field.ReadOnly && !FillTargets.Contains(field.Key) && Types.TryGet(field.Type, out var type) && type.AcceptsInput;

    public bool Accepts(FieldDefinition field) =>
        !field.System && !field.ReadOnly && !FillTargets.Contains(field.Key)
        && Types.TryGet(field.Type, out var type) && type.AcceptsInput;
}
