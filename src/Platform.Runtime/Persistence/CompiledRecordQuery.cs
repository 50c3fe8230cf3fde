using Npgsql;

namespace Platform.Runtime.Persistence;

/// <summary>A list query compiled to SQL text (names from metadata only) and parameters (values only).</summary>
public sealed record CompiledRecordQuery(string Where, string OrderBy, int Limit, int Offset, IReadOnlyList<NpgsqlParameter> Parameters);
