using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Flows;

public sealed class FlowInstanceTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.FromHours(8));

    private static FlowInstance Full() => new()
    {
        Id = Guid.NewGuid(), App = "app", Flow = "flow", Version = 3, Entity = "item", RecordId = Guid.NewGuid(), Status = FlowStatuses.Rejected,
        StartedBy = "cs01", StartedAt = At, EndedAt = At.AddHours(1),
        Active =
        [
            new StepState
            {
                Step = "a", EnteredAt = At, Candidates = ["u1", "u2"], NextCandidate = 1, Approvals = 2, Rejections = 1, Total = 3, Touched = true,
                DueAt = At.AddDays(1), TimerId = Guid.NewGuid(), PausedSecondsLeft = 12.5, DueFieldValue = "2026-12-02", From = "start",
            },
        ],
        Tasks =
        [
            new FlowTask
            {
                Id = Guid.NewGuid(), Step = "a", Kind = "task", Assignee = "u1", Role = "finance", CreatedAt = At, DueAt = At.AddDays(1),
                Status = FlowTaskStatuses.Waiting, Reopens = Guid.NewGuid(), ThenSigners = ["u3"], Decides = true,
            },
        ],
        Joins = new Dictionary<string, List<string>> { ["JoinStep"] = ["b"] },
        Visited = ["start", "a"],
        LastDecision = new FlowDecision("start", "cs01", At),
        HistoryCount = 7,
    };

    [Fact]
    public void Clone_CopiesEveryProperty_WhenEveryPropertyIsSet()
    {
        var instance = Full();

        // Every property of the instance and its parts is set in the fixture, so a property Clone forgets shows here.
        foreach (var part in new object[] { instance, instance.Active[0], instance.Tasks[0] })
        {
            foreach (var property in part.GetType().GetProperties())
            {
                var value = property.GetValue(part);
                Assert.False(value is null || (value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType()))) || value is ICollection { Count: 0 },
                    $"{part.GetType().Name}.{property.Name} is not set in the fixture");
            }
        }

        Assert.Equal(JsonSerializer.Serialize(instance, MetadataJson.Options), JsonSerializer.Serialize(instance.Clone(), MetadataJson.Options));
    }

    [Fact]
    public void Clone_SharesNoMutableState_WhenTheCopyIsChanged()
    {
        var instance = Full();
        var before = JsonSerializer.Serialize(instance, MetadataJson.Options);

        var copy = instance.Clone();
        copy.Active[0].Candidates.Add("u9");
        copy.Active[0].Approvals++;
        copy.Active.Add(new StepState { Step = "b" });
        copy.Tasks[0].ThenSigners.Add("u9");
        copy.Tasks[0].Status = FlowTaskStatuses.Open;
        copy.Tasks.Clear();
        copy.Joins["JoinStep"].Add("c");
        copy.Joins["other"] = [];
        copy.Visited.Add("b");
        copy.HistoryCount++;

        Assert.Equal(before, JsonSerializer.Serialize(instance, MetadataJson.Options));
    }

    [Fact]
    public void FlowStateJson_WritesWhatMetadataJsonWrites_WhenEveryPropertyIsSet()
    {
        var instance = Full();
        instance.Tasks[0].Assignee = "张三 <客服>";

        var generated = JsonSerializer.Serialize(instance, FlowStateJson.Default.FlowInstance);

        // The same document (names, nulls left out, values), whatever the escaping; and read back by the metadata options unchanged.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.Serialize(instance, MetadataJson.Options)), JsonNode.Parse(generated)), generated);
        var read = JsonSerializer.Deserialize<FlowInstance>(generated, MetadataJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(instance, MetadataJson.Options), JsonSerializer.Serialize(read, MetadataJson.Options));
    }

    [Fact]
    public void FlowStateJson_LeavesNullsOut_WhenOptionalPartsAreUnset()
    {
        var instance = new FlowInstance { Id = Guid.NewGuid(), App = "app", Flow = "flow", Active = [new StepState { Step = "a" }], Tasks = [new FlowTask { Step = "a" }] };

        var generated = JsonNode.Parse(JsonSerializer.Serialize(instance, FlowStateJson.Default.FlowInstance))!.AsObject();

        Assert.False(generated.ContainsKey("endedAt"));
        Assert.False(generated.ContainsKey("lastDecision"));
        Assert.False(generated["active"]![0]!.AsObject().ContainsKey("dueAt"));
        Assert.False(generated["tasks"]![0]!.AsObject().ContainsKey("assignee"));
        Assert.Equal("running", (string?)generated["status"]);
    }
}
