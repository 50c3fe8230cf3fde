namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// The record query one report point stands for: <see cref="IdsSql"/> selects the ids of the records of
/// <see cref="Entity"/> counted in that point (names from metadata, values in <see cref="Parameters"/>).
/// </summary>
public sealed record CompiledDrill(string Entity, string IdsSql, IReadOnlyDictionary<string, object?> Parameters);
