using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Flows;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Flows.Steps;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Flows;

/// <summary>Drives the pure interpreter like the runtime does, keeping the instance and every effect in memory.</summary>
internal sealed class FlowHarness
{
    public static readonly IExpressionEngine Expressions = new JintExpressionEngine();
    public static readonly FlowInterpreter Interpreter = new(FlowStepRegistry.CreateDefault());

    public static readonly DictionaryFlowDirectory Directory = new(
    [
        ("cs01", ["customer_service"], "service"),
        ("cs02", ["customer_service"], "service"),
        ("sup01", ["supervisor"], "service"),
        ("qa01", ["quality"], "quality"),
        ("wh01", ["warehouse"], "warehouse"),
        ("fin01", ["finance"], "finance"),
        ("a", ["team"], null),
        ("b", ["team"], null),
        ("c", ["team"], null),
    ]);

    public FlowHarness(FlowDefinition flow, EntityDefinition entity, JsonObject record, DateTimeOffset? now = null)
    {
        Flow = flow;
        Entity = entity;
        Record = record;
        Now = now ?? new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(8));
    }

    public FlowDefinition Flow { get; set; }

    public EntityDefinition Entity { get; }

    public JsonObject Record { get; }

    public DateTimeOffset Now { get; set; }

    public FlowInstance Instance { get; private set; } = null!;

    public List<FlowResult> Results { get; } = [];

    public List<FlowHistoryEntry> History { get; } = [];

    public List<FlowTimer> Timers { get; } = [];

    public FlowContext Context => new()
    {
        Definition = Flow,
        Entity = Entity,
        Record = Record,
        Now = Now,
        Expressions = Expressions,
        Directory = Directory,
    };

    public static FlowDefinition Parse(string json) => JsonSerializer.Deserialize<FlowDefinition>(json, MetadataJson.Options)!;

    public FlowResult Start(string by = "cs01")
    {
        var result = Interpreter.Start(Context, Guid.NewGuid(), "app", Guid.NewGuid(), Actor(by));
        return Keep(result);
    }

    public FlowResult Act(string user, string action, string? step = null, string? to = null, string? position = null, string? comment = null, JsonObject? fields = null)
    {
        var actor = Actor(user);
        var task = Instance.Tasks.First(t => (step is null || t.Step == step) && t.IsFor(actor) && t.Status == FlowTaskStatuses.Open);
        return Act(task.Id, user, action, to, position, comment, fields);
    }

    public FlowResult Act(Guid taskId, string user, string action, string? to = null, string? position = null, string? comment = null, JsonObject? fields = null)
    {
        if (fields is not null)
        {
            foreach (var (k, v) in fields)
            {
                Record[k] = v?.DeepClone();
            }
        }

        return Keep(Interpreter.Act(Context, Instance, new TaskAction { TaskId = taskId, Action = action, Actor = Actor(user), To = to, Position = position, Comment = comment, Fields = fields }));
    }

    public FlowResult OnInstance(string user, string action, string? comment = null) =>
        Keep(Interpreter.ActOnInstance(Context, Instance, action, Actor(user), comment));

    /// <summary>Moves the clock and fires every due timer the way the timer worker would.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        Now = at;
        foreach (var timer in Timers.Where(t => t.DueAt <= at).OrderBy(t => t.DueAt).ToList())
        {
            Timers.Remove(timer);
            Keep(Interpreter.FireTimer(Context, Instance, timer.Id, timer.Step, timer.Kind));
        }
    }

    public FlowResult RecordChanged(string field, JsonNode? value)
    {
        Record[field] = value;
        return Keep(Interpreter.RecordChanged(Context, Instance, Actor("cs01")));
    }

    public IReadOnlyList<string> Active => Instance.Active.Select(s => s.Step).ToList();

    public IReadOnlyList<FlowTask> OpenTasks(string? step = null) =>
        Instance.Tasks.Where(t => t.Status == FlowTaskStatuses.Open && (step is null || t.Step == step)).ToList();

    public static FlowActor Actor(string user)
    {
        var roles = new HashSet<string>();
        foreach (var role in new[] { "customer_service", "supervisor", "quality", "warehouse", "finance", "team" })
        {
            if (Directory.UsersInRole(role).Contains(user))
            {
                roles.Add(role);
            }
        }

        return new FlowActor(user, roles);
    }

    private FlowResult Keep(FlowResult result)
    {
        Results.Add(result);
        if (result.IsOk)
        {
            Instance = result.Instance;
            History.AddRange(result.History);
            Timers.RemoveAll(t => result.TimersCancelled.Contains(t.Id));
            Timers.AddRange(result.TimersSet);
        }

        return result;
    }
}
