using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Customers;

namespace Platform.Runtime.Tests.Execution;

/// <summary>How a customer-visible field's value reads in the customer pages and the customer API.</summary>
public sealed class CustomerFieldTextTests
{
    private static readonly FieldDefinition Reason = new()
    {
        Key = "reason", Type = "select", Options = [new FieldOption("quality", "质量问题") { LabelEn = "Quality" }, new FieldOption("other", "其他")],
    };

    [Theory]
    [InlineData("\"quality\"", false, "质量问题")]
    [InlineData("\"quality\"", true, "Quality")]
    [InlineData("\"other\"", true, "其他")]
    [InlineData("\"gone\"", false, "gone")]
    public void Format_ShowsTheOptionsLabel_ForASelect(string json, bool english, string expected) =>
        Assert.Equal(expected, CustomerRequests.Format(Reason, JsonNode.Parse(json), english));

    [Fact]
    public void Format_JoinsOptionLabels_ForAMultiSelect() =>
        Assert.Equal("质量问题、其他", CustomerRequests.Format(Reason with { Type = "multi-select" }, JsonNode.Parse("""["quality", "other"]"""), english: false));

    [Fact]
    public void Format_WritesMoneyScaleBooleansAndChinaTime()
    {
        Assert.Equal("¥1,234.50", CustomerRequests.Format(new FieldDefinition { Key = "price", Type = "money" }, JsonValue.Create(1234.5m), english: false));
        Assert.Equal("3918.00", CustomerRequests.Format(new FieldDefinition { Key = "amount", Type = "formula", Scale = 2 }, JsonValue.Create(3918m), english: false));
        Assert.Equal("是", CustomerRequests.Format(new FieldDefinition { Key = "ok", Type = "boolean" }, JsonValue.Create(true), english: false));
        Assert.Equal("No", CustomerRequests.Format(new FieldDefinition { Key = "ok", Type = "boolean" }, JsonValue.Create(false), english: true));
        Assert.Equal("2026-12-01 20:30", CustomerRequests.Format(new FieldDefinition { Key = "at", Type = "datetime" }, JsonValue.Create("2026-12-01T12:30:00Z"), english: false));
        Assert.Equal(string.Empty, CustomerRequests.Format(Reason, null, english: false));
    }
}
