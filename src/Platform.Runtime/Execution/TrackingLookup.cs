using Npgsql;
using Platform.Runtime.Api;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution;

/// <summary>
/// The customer's tracking lookup, shared by <c>GET /api/public/track/{trackingNo}</c> and the <c>/track</c> page: the
/// record of a public form whose tracking field and phone field both match, with the public entries of its newest flow.
/// A wrong number or phone, well-formed or not, finds nothing (never saying which was wrong).
/// </summary>
public sealed class TrackingLookup(AppCatalog catalog, NpgsqlDataSource dataSource, InboxStore inbox)
{
    public async Task<TrackingResult?> FindAsync(string trackingNo, string? phone, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(phone) || string.IsNullOrWhiteSpace(trackingNo) || trackingNo.Length > 64 || phone.Length > 32
            || trackingNo.Contains('\0', StringComparison.Ordinal) || phone.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var app in await catalog.ListAsync(ct))
        {
            var definition = await catalog.GetAsync(app.Key, ct);
            foreach (var form in definition?.PublicForms ?? [])
            {
                if (form.TrackingField is not { } tracking || form.PhoneField is not { } phoneField || definition!.FindEntity(form.Entity) is not { } entity)
                {
                    continue;
                }

                await using var cmd = dataSource.CreateCommand(
                    "select id, data::text from records where app_key = $1 and entity_key = $2 and data->>$3 = $4 and data->>$5 = $6 limit 1");
                foreach (var value in new object[] { app.Key, entity.Key, tracking, trackingNo, phoneField, phone })
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                await using var reader = await cmd.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    continue;
                }

                var id = reader.GetGuid(0);
                var data = System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(1))!.AsObject();
                var flow = definition.Flows.FirstOrDefault(f => f.Entity == entity.Key);
                var timeline = await inbox.PublicTimelineAsync(id, ct);
                var status = flow?.StatusField is { } field && data[field] is { } s ? s.ToString() : timeline?.Status ?? "submitted";
                var statusLabel = flow?.StatusField is { } f2 ? entity.FindField(f2)?.Options?.FirstOrDefault(o => o.Value == status)?.Label : null;
                return new TrackingResult(trackingNo, status, statusLabel, timeline?.Status, Compact(timeline?.Timeline ?? []));
            }
        }

        return null;
    }

    /// <summary>
    /// The customer's timeline without the "entered the next step" lines that follow a decision or the submission at the
    /// same moment ("「客服初审」已通过" is already the news; a parcel's timeline does not list both); the newest entry stays,
    /// as it says where the request is now.
    /// </summary>
    public static IReadOnlyList<FlowHistoryDto> Compact(IReadOnlyList<FlowHistoryDto> timeline) =>
        timeline.Where((h, i) => h.Action != "enter" || i == 0 || i == timeline.Count - 1 || (h.At - timeline[i - 1].At).Duration() > TimeSpan.FromSeconds(2)).ToList();

    /// <summary>The customer's wording of a history line.</summary>
    public static string Text(FlowHistoryDto h) => h.Action switch
    {
        "start" => "已提交申请",
        "enter" => $"进入「{h.StepName}」",
        "approve" => $"「{h.StepName}」已通过",
        "reject" => $"「{h.StepName}」未通过" + (h.Comment is { Length: > 0 } c ? $"：{c}" : string.Empty),
        "return" => $"「{h.StepName}」退回补充" + (h.Comment is { Length: > 0 } r ? $"：{r}" : string.Empty),
        "auto-approve" => $"「{h.StepName}」超时自动通过",
        "auto-reject" => $"「{h.StepName}」超时自动驳回",
        "withdraw" => "申请已撤回",
        "end" => h.To switch
        {
            "completed" => "办理完成",
            "rejected" => "申请被驳回" + (h.Comment is { Length: > 0 } e ? $"：{e}" : string.Empty),
            _ => "已取消",
        },
        _ => h.StepName ?? h.Step,
    };
}
