using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>Runs the Core form engine for a command, fetching every record its lookups need in one round trip.</summary>
public sealed class RecordValidation(RecordStore store, RecordValidator validator)
{
    /// <summary>
    /// Validates a submission. With <paramref name="scope"/> (a signed-in caller's command) references and lookups find only
    /// records the caller may read; the values the record already holds are found as before, so saving a record that links
    /// to something the caller cannot read does not fail for a field they left alone.
    /// </summary>
    public async Task<ValidatedRecord> ValidateAsync(
        AppDefinition app, EntityDefinition entity, JsonObject submitted, JsonObject? existing, string userName, DateTimeOffset now,
        bool isPublic, IReadOnlySet<string>? allowedFields, CancellationToken ct, IReadOnlySet<string>? granted = null, LookupScope? scope = null)
    {
        var requests = validator.GetLookupRequests(entity, submitted, existing);
        var lookups = new DictionaryLookupSource();
        if (requests.Count > 0)
        {
            var kept = scope is null || existing is null ? [] : Held(app, entity, existing);
            var found = await store.FindByFieldsAsync(
                app.Key, requests.Select(r => (r.Entity, r.Field, r.Value)).ToList(), ct,
                scope is null ? null : (target, param) => scope.Predicate(target, param));
            var retry = requests.Select((r, i) => (r, i)).Where(x => found[x.i] is null && kept.Contains(x.r)).ToList();
            var again = retry.Count == 0 ? [] : await store.FindByFieldsAsync(app.Key, retry.Select(x => (x.r.Entity, x.r.Field, x.r.Value)).ToList(), ct);
            var unscoped = retry.Select((x, j) => (x.i, again[j])).ToDictionary(x => x.i, x => x.Item2);
            for (var i = 0; i < requests.Count; i++)
            {
                lookups.Add(requests[i], (found[i] ?? unscoped.GetValueOrDefault(i))?.Data);
            }
        }

        var result = validator.Validate(entity, submitted, new RecordValidationContext
        {
            Now = now,
            UserName = userName,
            Existing = existing,
            IsPublic = isPublic,
            AllowedFields = allowedFields,
            GrantedFields = granted,
            Lookups = lookups,
        });
        return new ValidatedRecord(result.IsValid, result.Data, result.Errors, ToSlots(app, entity, result.AutoNumbers));
    }

    /// <summary>The references and lookup matches the stored record already holds (top level and in sub-table rows).</summary>
    private static HashSet<LookupRequest> Held(AppDefinition app, EntityDefinition entity, JsonObject existing)
    {
        var held = new HashSet<LookupRequest>();
        void Add(string target, string field, JsonNode? value)
        {
            if (FieldValues.AsText(value)?.Trim() is { Length: > 0 } text)
            {
                held.Add(new LookupRequest(target, field, field == "id" && Guid.TryParse(text, out var id) ? id.ToString() : text));
            }
        }

        foreach (var field in entity.Fields)
        {
            switch (field.Type)
            {
                case "reference" when field.Reference is { } reference:
                    Add(reference.Entity, "id", existing[field.Key]);
                    break;
                case "lookup" when field.Lookup is { Entity: { } target } lookup && app.FindEntity(target) is not null:
                    Add(target, lookup.MatchField, existing[field.Key]);
                    break;
                case "sub-table" when existing[field.Key] is JsonArray rows && field.Fields is not null:
                    foreach (var rowField in field.Fields.Where(f => f.Type == "reference" && f.Reference is not null))
                    {
                        foreach (var row in rows.OfType<JsonObject>())
                        {
                            Add(rowField.Reference!.Entity, "id", row[rowField.Key]);
                        }
                    }

                    break;
            }
        }

        return held;
    }

    /// <summary>Names each auto-number's sequence by app, entity, field and formatted prefix (a sequence per pattern and day).</summary>
    public static IReadOnlyList<AutoNumberSlot> ToSlots(AppDefinition app, EntityDefinition entity, IReadOnlyList<AutoNumberRequest> requests) =>
        requests.Select(r => new AutoNumberSlot(r.Field, $"{app.Key}/{entity.Key}/{r.Field}/{r.Prefix}|{r.Suffix}", r.Prefix, r.Width, r.Suffix)).ToList();
}
