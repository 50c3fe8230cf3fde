using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms;

/// <summary>
/// The form engine. Given an entity definition, the submitted data and a context it returns the data as
/// it will be stored — normalized, defaults applied, lookups filled, hidden values dropped, formulas
/// computed — or every error keyed by field path (<c>items[2].quantity</c>). Pure: lookups come from
/// <see cref="RecordValidationContext.Lookups"/>, which the caller fills from <see cref="GetLookupRequests"/>.
/// </summary>
public sealed class RecordValidator(FieldTypeRegistry types, IExpressionEngine expressions)
{
    private readonly ConditionalWeakTable<EntityDefinition, EntityPlan> plans = new();

    public FieldTypeRegistry Types => types;

    public IExpressionEngine Expressions => expressions;

    /// <summary>The records a validation of this submission will look up: lookup matches and referenced ids.</summary>
    public IReadOnlyList<LookupRequest> GetLookupRequests(EntityDefinition entity, JsonObject submitted, JsonObject? existing)
    {
        var requests = new HashSet<LookupRequest>();
        foreach (var field in entity.Fields)
        {
            var isSubmitted = submitted.TryGetPropertyValue(field.Key, out var value);
            switch (field.Type)
            {
                case "lookup" when field.Lookup?.Entity is { } target:
                    var rowLookupSubmitted = entity.Fields.Any(f => f.Lookup?.Source == field.Key && submitted.ContainsKey(f.Key));
                    var current = isSubmitted ? value : (rowLookupSubmitted || existing is null ? existing?[field.Key] : null);
                    if (FieldValues.AsText(current)?.Trim() is { Length: > 0 } text)
                    {
                        requests.Add(new LookupRequest(target, field.Lookup.MatchField, text));
                    }

                    break;
                case "reference" when isSubmitted && field.Reference is { } reference:
                    AddReference(requests, reference.Entity, value);
                    break;
                case "sub-table" when isSubmitted && value is JsonArray rows && field.Fields is not null:
                    foreach (var row in rows.OfType<JsonObject>())
                    {
                        foreach (var rowField in field.Fields.Where(f => f.Type == "reference" && f.Reference is not null))
                        {
                            AddReference(requests, rowField.Reference!.Entity, row[rowField.Key]);
                        }
                    }

                    break;
            }
        }

        return requests.ToList();
    }

    /// <summary>Validates and normalizes one submission (create when <see cref="RecordValidationContext.Existing"/> is null).</summary>
    public RecordValidationResult Validate(EntityDefinition entity, JsonObject submitted, RecordValidationContext context)
    {
        var plan = plans.GetValue(entity, e => new EntityPlan(e, types, expressions));
        return new RecordValidationRun(entity, plan, expressions, context).Run(submitted);
    }

    private static void AddReference(HashSet<LookupRequest> requests, string entity, JsonNode? value)
    {
        if (FieldValues.AsText(value)?.Trim() is { } text && Guid.TryParse(text, out var id))
        {
            requests.Add(new LookupRequest(entity, "id", id.ToString()));
        }
    }
}
