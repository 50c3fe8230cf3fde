using System.Text.Json.Nodes;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>One generated demo record: <see cref="Input"/> goes through the form engine; <see cref="System"/> holds
/// the values flows and rules would have set (status, engineer, auto-numbers) and is laid over the result.</summary>
public sealed record DemoRecord(string Entity, Guid Id, JsonObject Input, JsonObject System, DateTimeOffset CreatedAt, string CreatedBy);
