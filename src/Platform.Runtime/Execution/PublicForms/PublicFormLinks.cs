using System.Security.Cryptography;
using Npgsql;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.PublicForms;

/// <summary>
/// Tokens of public form links: one active, random token per public form, issued the first time the form's links are
/// asked for and kept across publishes (printed QR codes keep working); issuing a new one revokes the old link.
/// Per-record forms (<see cref="PublicFormDefinition.SubjectField"/>) have no shared link: only <see cref="RecordFormLinks"/> open them.
/// </summary>
public sealed class PublicFormLinks(NpgsqlDataSource dataSource, AppCatalog catalog, TimeProvider time)
{
    /// <summary>The active links of an app's enabled public forms, issuing tokens for forms that have none yet.</summary>
    public async Task<IReadOnlyList<PublicFormLink>> ListAsync(AppDefinition app, string by, CancellationToken ct)
    {
        var links = new List<PublicFormLink>();
        foreach (var form in app.PublicForms.Where(f => f.SubjectField is null))
        {
            links.Add(await EnsureAsync(app.Key, form.Key, by, ct));
        }

        return links;
    }

    /// <summary>Revokes the form's current token and issues a new one.</summary>
    public async Task<PublicFormLink> RenewAsync(string app, string form, string by, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var revoke = new NpgsqlCommand("update public_form_links set revoked_at = $3 where app_key = $1 and form_key = $2 and revoked_at is null", connection, transaction))
        {
            revoke.Parameters.Add(new NpgsqlParameter { Value = app });
            revoke.Parameters.Add(new NpgsqlParameter { Value = form });
            revoke.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            await revoke.ExecuteNonQueryAsync(ct);
        }

        var link = new PublicFormLink(NewToken(), app, form, time.GetUtcNow());
        await InsertAsync(connection, transaction, link, by, ct);
        await transaction.CommitAsync(ct);
        return link;
    }

    /// <summary>The app and enabled public form an active token opens, or null (unknown, revoked, disabled or removed form).</summary>
    public async Task<(AppDefinition App, PublicFormDefinition Form, EntityDefinition Entity)?> ResolveAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 16 or > 64)
        {
            return null;
        }

        await using var cmd = dataSource.CreateCommand("select app_key, form_key from public_form_links where token = $1 and revoked_at is null");
        cmd.Parameters.Add(new NpgsqlParameter { Value = token });
        string appKey, formKey;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (appKey, formKey) = (reader.GetString(0), reader.GetString(1));
        }

        var app = await catalog.GetAsync(appKey, ct);
        var form = app?.PublicForms.FirstOrDefault(f => f.Key == formKey);
        var entity = form is null ? null : app!.FindEntity(form.Entity);
        return form is { Enabled: true, SubjectField: null } && entity is not null ? (app!, form, entity) : null;
    }

    private async Task<PublicFormLink> EnsureAsync(string app, string form, string by, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            await using (var select = new NpgsqlCommand("select token, created_at from public_form_links where app_key = $1 and form_key = $2 and revoked_at is null", connection))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = app });
                select.Parameters.Add(new NpgsqlParameter { Value = form });
                await using var reader = await select.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    return new PublicFormLink(reader.GetString(0), app, form, reader.GetFieldValue<DateTimeOffset>(1));
                }
            }

            var link = new PublicFormLink(NewToken(), app, form, time.GetUtcNow());
            try
            {
                await InsertAsync(connection, null, link, by, ct);
                return link;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // Another node issued the form's token at the same moment: use theirs.
            }
        }
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PublicFormLink link, string by, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            "insert into public_form_links (token, app_key, form_key, created_at, created_by) values ($1, $2, $3, $4, $5)", connection, transaction);
        foreach (var value in new object[] { link.Token, link.App, link.Form, link.CreatedAt, by })
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await insert.ExecuteNonQueryAsync(ct);
    }

    // 128 random bits, url-safe: not derived from the app or form, so links cannot be enumerated.
    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
