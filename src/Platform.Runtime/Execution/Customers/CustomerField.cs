using System.Text.Json.Nodes;

namespace Platform.Runtime.Execution.Customers;

/// <summary>One customer-visible field of a request: its label and its value as text (option labels resolved), zh-CN and English.</summary>
public sealed record CustomerField(string Key, string Label, string? LabelEn, JsonNode? Value, string Text, string? TextEn);
