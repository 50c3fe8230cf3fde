using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Customers;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution.PublicForms;

/// <summary>
/// Signed links of per-record public forms (<see cref="PublicFormDefinition.SubjectField"/>), <c>{PublicBaseUrl}/f/{token}</c>:
/// the token holds the subject record's id, an expiry and a tag of the form key, signed with the platform's
/// <see cref="CustomerSecret"/> (HMAC-SHA256, 128 bits kept). 55 URL-safe characters, so it fits an SMS and never
/// collides with a shared form token (22) on the same route. A changed character, an expired link, a removed or
/// disabled form or a deleted record all resolve to nothing.
/// </summary>
public sealed class RecordFormLinks(CustomerSecret secret, TrackingLinks tracking, PlatformSettings settings, AppCatalog catalog, NpgsqlDataSource dataSource, TimeProvider time)
{
    private const int FormTagLength = 4;
    private const string Purpose = "record-form-link";

    /// <summary>Length of every token this build makes.</summary>
    public const int TokenLength = 55;

    /// <summary>Whether a token has the shape of a per-record link (and not of a shared form link).</summary>
    public static bool IsRecordToken(string? token) => token?.Length == TokenLength;

    /// <summary>The link to <paramref name="formKey"/> about <paramref name="recordId"/>, or null when the app has no such per-record form.</summary>
    public async Task<string?> CreateAsync(AppDefinition app, string formKey, Guid recordId, CancellationToken ct, DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.PublicForms.FirstOrDefault(f => f.Key == formKey) is not { SubjectField: not null } form)
        {
            return null;
        }

        var expiry = expiresAt ?? time.GetUtcNow().AddDays(Math.Max(1, settings.Customer.LinkDays));
        return tracking.BaseUrl() + "/f/" + await TokenAsync(app.Key, form.Key, recordId, expiry, ct);
    }

    /// <summary>The token alone: record id, expiry and form tag, signed.</summary>
    public Task<string> TokenAsync(string appKey, string formKey, Guid recordId, DateTimeOffset expiresAt, CancellationToken ct) =>
        secret.SignRecordTokenAsync(Purpose, recordId, expiresAt, FormTag(appKey, formKey), ct);

    /// <summary>What a well-signed, unexpired token opens, or null.</summary>
    public async Task<RecordFormTarget?> ResolveAsync(string? token, CancellationToken ct)
    {
        if (await secret.VerifyRecordTokenAsync(Purpose, token, TokenLength, FormTagLength, ct) is not { } verified)
        {
            return null;
        }

        var (recordId, tag) = verified;

        await using var cmd = dataSource.CreateCommand("select app_key, entity_key, data::text from records where id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordId });
        string appKey, entityKey;
        JsonObject data;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (appKey, entityKey, data) = (reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject());
        }

        if (await catalog.GetAsync(appKey, ct) is not { } app)
        {
            return null;
        }

        foreach (var form in app.PublicForms.Where(f => f.Enabled && f.SubjectField is not null))
        {
            if (!FormTag(app.Key, form.Key).AsSpan().SequenceEqual(tag) || app.FindEntity(form.Entity) is not { } entity
                || entity.FindField(form.SubjectField!)?.Reference is not { } reference || reference.Entity != entityKey || app.FindEntity(entityKey) is not { } subject)
            {
                continue;
            }

            var number = reference.DisplayField is { } display && data[display]?.ToString() is { Length: > 0 } shown ? shown : recordId.ToString();
            return new RecordFormTarget(app, form, entity, subject, recordId, number);
        }

        return null;
    }

    // Four bytes of SHA-256 tell an app's per-record forms apart (the MAC, not the tag, is what makes a link unforgeable).
    private static byte[] FormTag(string appKey, string formKey) => SHA256.HashData(Encoding.UTF8.GetBytes(appKey + "\0" + formKey))[..FormTagLength];
}
