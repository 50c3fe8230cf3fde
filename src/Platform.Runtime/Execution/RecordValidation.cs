using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>Runs the Core form engine for a command, fetching every record its lookups need in one round trip.</summary>
public sealed class RecordValidation(RecordStore store, RecordValidator validator)
{
    public async Task<ValidatedRecord> ValidateAsync(
        AppDefinition app, EntityDefinition entity, JsonObject submitted, JsonObject? existing, string userName, DateTimeOffset now,
        bool isPublic, IReadOnlySet<string>? allowedFields, CancellationToken ct, IReadOnlySet<string>? granted = null)
    {
        var requests = validator.GetLookupRequests(entity, submitted, existing);
        var lookups = new DictionaryLookupSource();
        if (requests.Count > 0)
        {
            var found = await store.FindByFieldsAsync(app.Key, requests.Select(r => (r.Entity, r.Field, r.Value)).ToList(), ct);
            for (var i = 0; i < requests.Count; i++)
            {
                lookups.Add(requests[i], found[i]?.Data);
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

    /// <summary>Names each auto-number's sequence by app, entity, field and formatted prefix (a sequence per pattern and day).</summary>
    public static IReadOnlyList<AutoNumberSlot> ToSlots(AppDefinition app, EntityDefinition entity, IReadOnlyList<AutoNumberRequest> requests) =>
        requests.Select(r => new AutoNumberSlot(r.Field, $"{app.Key}/{entity.Key}/{r.Field}/{r.Prefix}|{r.Suffix}", r.Prefix, r.Width, r.Suffix)).ToList();
}
