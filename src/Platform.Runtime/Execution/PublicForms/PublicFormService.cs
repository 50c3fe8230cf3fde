using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Metadata;
using QRCoder;

namespace Platform.Runtime.Execution.PublicForms;

/// <summary>
/// Anonymous submissions through a public form link: the record is created by the same RecordService as the records API,
/// taking only the form's fields (anything else sent is dropped, like system fields), with the form's flow started.
/// A per-record link (<see cref="RecordFormLinks"/>) also sets the form's subject field from the signed token and takes one
/// answer per record (or one answer through the form, with <see cref="PublicFormDefinition.AnsweredBy"/> <c>form</c>).
/// </summary>
public sealed class PublicFormService(PublicFormLinks links, RecordFormLinks recordLinks, RecordService records, NpgsqlDataSource dataSource)
{
    /// <summary>The message of a second answer through a per-record link.</summary>
    public const string AlreadyAnswered = "您已提交过评价，感谢您的反馈 / you have already answered, thank you";

    /// <summary>The user name public submissions are recorded under.</summary>
    public static string Submitter(PublicFormDefinition form) => $"public:{form.Key}";

    /// <summary>The fields a public form shows and accepts: its list, else every field a person may fill.</summary>
    public static IReadOnlyList<FieldDefinition> Fields(EntityDefinition entity, PublicFormDefinition form) =>
        form.Fields.Count > 0
            ? form.Fields.Select(entity.FindField).OfType<FieldDefinition>().ToList()
            : entity.Fields.Where(f => !f.System && !f.ReadOnly).ToList();

    public async Task<PublicSubmission> SubmitAsync(string token, JsonObject data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (RecordFormLinks.IsRecordToken(token))
        {
            return await recordLinks.ResolveAsync(token, ct) is { } target ? await SubmitAboutAsync(target, data, ct) : new PublicSubmission(null, null, null, NotFound: true);
        }

        if (await links.ResolveAsync(token, ct) is not var (app, form, entity))
        {
            return new PublicSubmission(null, null, null, NotFound: true);
        }

        var allowed = Fields(entity, form).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var result = await records.CreateAsync(app, entity, data, Submitter(form), ct, isPublic: true, allowedFields: allowed);
        if (result.Outcome != CommandOutcome.Ok)
        {
            return new PublicSubmission(null, null, result.Errors ?? new Dictionary<string, IReadOnlyList<string>> { ["data"] = [result.Detail ?? "提交失败"] });
        }

        var record = result.Value!;
        var trackingNo = form.TrackingField is { } field ? record.Data[field]?.ToString() : null;
        return new PublicSubmission(record.Id, trackingNo ?? record.Id.ToString(), null);
    }

    /// <summary>Whether the subject record of a per-record link already has an answer (a record of the form's entity naming it).</summary>
    public async Task<bool> AnsweredAsync(RecordFormTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await AnsweredAsync(connection, target, ct);
    }

    private async Task<PublicSubmission> SubmitAboutAsync(RecordFormTarget target, JsonObject data, CancellationToken ct)
    {
        // A session lock on the subject holds off a second answer sent at the same moment, on this node or another.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_lock(hashtextextended($1, 0))", connection))
        {
            lockCmd.Parameters.Add(new NpgsqlParameter { Value = $"record-form:{target.Form.Key}:{target.SubjectId}" });
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        try
        {
            if (await AnsweredAsync(connection, target, ct))
            {
                return new PublicSubmission(null, null, null, Conflict: AlreadyAnswered);
            }

            var subjectField = target.Form.SubjectField!;
            var input = data.DeepClone().AsObject();
            input[subjectField] = target.SubjectId.ToString();
            var allowed = Fields(target.Entity, target.Form).Select(f => f.Key).Append(subjectField).ToHashSet(StringComparer.Ordinal);
            var result = await records.CreateAsync(target.App, target.Entity, input, Submitter(target.Form), ct, isPublic: true, allowedFields: allowed);
            if (result.Outcome != CommandOutcome.Ok)
            {
                return new PublicSubmission(null, null, result.Errors ?? new Dictionary<string, IReadOnlyList<string>> { ["data"] = [result.Detail ?? "提交失败"] });
            }

            return new PublicSubmission(result.Value!.Id, target.SubjectNumber, null);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", connection);
            unlock.Parameters.Add(new NpgsqlParameter { Value = $"record-form:{target.Form.Key}:{target.SubjectId}" });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Whether the form's subject record already has its answer (see <see cref="PublicFormDefinition.AnsweredBy"/>).</summary>
    internal static async Task<bool> AnsweredAsync(NpgsqlConnection connection, RecordFormTarget target, CancellationToken ct)
    {
        // answeredBy "form": an answer staff entered for the record (a callback) does not close the customer's link.
        var byForm = target.Form.AnsweredBy == "form" ? " and created_by = $4" : string.Empty;
        await using var cmd = new NpgsqlCommand(
            $"select exists (select 1 from records where app_key = $1 and entity_key = $2 and {Persistence.FieldSql.Expression(target.Entity.FindField(target.Form.SubjectField!)!)} = $3{byForm})", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = target.App.Key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = target.Entity.Key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = target.SubjectId.ToString() });
        if (byForm.Length > 0)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Submitter(target.Form) });
        }

        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The upload field a public upload names (<c>field</c> or <c>subTable.field</c>), when the form shows it; else null.</summary>
    public static FieldDefinition? UploadField(EntityDefinition entity, PublicFormDefinition form, string path) =>
        Files.FileStore.FindUploadField(entity, path) is { } field && Fields(entity, form).Any(f => f.Key == path.Split('.')[0]) ? field : null;

    /// <summary>A form link as the publish dialog and <c>GET /api/apps/{app}/public-forms</c> show it.</summary>
    public static Platform.Designer.Services.PublicFormLinkView Describe(AppDefinition app, PublicFormLink link, string baseUrl)
    {
        var form = app.PublicForms.First(f => f.Key == link.Form);
        var root = baseUrl.TrimEnd('/');
        var url = Url(root, link.Token);
        return new(form.Key, form.Entity, form.Title, form.Enabled, link.Token, url, $"{root}/api/public/forms/{link.Token}/qr.png", EmbedHtml(url, form.Title));
    }

    /// <summary>The public URL of a form link.</summary>
    public static string Url(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/f/{token}";

    /// <summary>A QR code of the URL as PNG (error correction M, 10 px modules: sharp when printed on a poster or table card).</summary>
    public static byte[] QrPng(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(10);
    }

    /// <summary>The snippet a website pastes to embed the form.</summary>
    public static string EmbedHtml(string url, string title) =>
        $"<iframe src=\"{System.Net.WebUtility.HtmlEncode(url)}\" title=\"{System.Net.WebUtility.HtmlEncode(title)}\" width=\"100%\" height=\"760\" style=\"border:0;max-width:480px\" allow=\"camera\" loading=\"lazy\"></iframe>";
}
