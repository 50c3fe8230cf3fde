using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Rules;
using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>
/// Executes <c>notify</c> (in-app notifications), <c>email</c> and <c>sms</c> (outbox rows): users and role holders
/// are resolved from the user directory (their e-mail or phone), addresses from the record or a referenced record.
/// </summary>
public sealed class MessageExecutor(RuleRecords records, RuleEngine engine, string type) : IRuleActionExecutor
{
    public string Type => type;

    public async Task<RuleActionOutcome> ExecuteAsync(RuleActionPlan plan, RuleActionScope scope, CancellationToken ct)
    {
        var v = plan.Values;
        var users = v["users"]!.AsArray().Select(u => u!.GetValue<string>()).ToArray();
        var roles = v["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
        var title = v["title"]?.GetValue<string>() ?? string.Empty;
        var text = v["text"]?.GetValue<string>() ?? string.Empty;
        var sent = new JsonArray();
        if (type == "notify")
        {
            foreach (var user in await RuleNotifications.InsertAsync(scope, users, roles, string.IsNullOrEmpty(title) ? text : title, string.IsNullOrEmpty(title) ? null : text, ct))
            {
                sent.Add(user);
            }

            return new RuleActionOutcome { Result = new JsonObject { ["to"] = sent } };
        }

        var people = await PeopleAsync(scope.Chain, users, roles, ct);

        var addresses = new List<string>();
        addresses.AddRange(people.Select(p => type == "email" ? p.Email : p.Phone).Where(a => !string.IsNullOrWhiteSpace(a))!);
        if (v["addresses"] is JsonArray computed)
        {
            addresses.AddRange(computed.Select(a => a?.ToString()).Where(a => !string.IsNullOrWhiteSpace(a))!);
        }
        else if (v["via"] is not null)
        {
            addresses.AddRange(await ViaAsync(scope, v, ct));
        }

        var i = 0;
        foreach (var address in addresses.Distinct(StringComparer.Ordinal))
        {
            var payload = type == "email"
                ? new JsonObject { ["to"] = address, ["subject"] = title, ["body"] = text, ["app"] = scope.Chain.App.Key }
                : new JsonObject { ["to"] = address, ["text"] = string.IsNullOrEmpty(title) ? text : $"【{title}】{text}", ["app"] = scope.Chain.App.Key };
            await RuleOutbox.QueueAsync(scope.Chain, type, $"{scope.ActionKey}:{i++}", payload, ct);
            sent.Add(address);
        }

        return new RuleActionOutcome { Result = new JsonObject { ["queued"] = sent, ["kind"] = type } };
    }

    private async Task<IEnumerable<string>> ViaAsync(RuleActionScope scope, JsonObject v, CancellationToken ct)
    {
        if (!Guid.TryParse(v["viaId"]?.GetValue<string>(), out var id))
        {
            return [];
        }

        var via = scope.Entity?.FindField(v["via"]!.GetValue<string>())?.Reference?.Entity;
        var target = via is null ? null : scope.Chain.App.FindEntity(via);
        var referenced = await records.LoadForUpdateAsync(scope.Chain, id, ct);
        if (target is null || referenced is null)
        {
            return [];
        }

        var e = new RuleEvent { Type = scope.Event.Type, App = scope.Chain.App.Key, Entity = target.Key, RecordId = id, Record = referenced.Data };
        return engine.Expressions.Evaluate(v["address"]!.GetValue<string>(), RuleEngine.Scope(target, e, referenced.Data, scope.Chain.Now)) switch
        {
            null => [],
            JsonArray a => a.Select(x => x?.ToString() ?? string.Empty).Where(x => x.Length > 0),
            JsonValue s when s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length > 0 => [s.GetValue<string>()],
            _ => [],
        };
    }

    private static async Task<List<(string User, string? Email, string? Phone)>> PeopleAsync(RuleChain chain, string[] users, string[] roles, CancellationToken ct)
    {
        var list = new List<(string, string?, string?)>();
        if (users.Length == 0 && roles.Length == 0)
        {
            return list;
        }

        await using var cmd = chain.Command("select user_name, email, phone from users where is_active and (user_name = any($1) or roles && $2) order by user_name");
        cmd.Parameters.Add(new NpgsqlParameter { Value = users });
        cmd.Parameters.Add(new NpgsqlParameter { Value = roles });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return list;
    }
}
