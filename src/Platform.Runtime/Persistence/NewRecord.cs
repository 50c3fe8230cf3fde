using System.Text.Json.Nodes;

namespace Platform.Runtime.Persistence;

/// <summary>A validated record ready to insert, with the auto-numbers the database assigns.</summary>
public sealed record NewRecord(
    Guid Id,
    string AppKey,
    string EntityKey,
    JsonObject Data,
    int DefinitionVersion,
    DateTimeOffset At,
    string By,
    IReadOnlyList<AutoNumberSlot> AutoNumbers);
