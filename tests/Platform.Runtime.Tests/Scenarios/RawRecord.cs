using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>A record read straight from the records table, with the end of its newest flow instance (null while running or without a flow).</summary>
internal sealed record RawRecord(Guid Id, DateTimeOffset CreatedAt, JsonObject Data, DateTimeOffset? FlowEndedAt)
{
    public string? Text(string field) => Data[field] is JsonValue v ? v.ToString() : null;

    public decimal? Number(string field) => Data[field] is JsonValue v ? v.GetValue<decimal>() : null;

    public DateTimeOffset? Moment(string field) => Data[field] is JsonValue v ? DateTimeOffset.Parse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : null;
}
