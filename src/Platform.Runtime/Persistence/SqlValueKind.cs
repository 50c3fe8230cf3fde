namespace Platform.Runtime.Persistence;

/// <summary>How a field's JSONB value is cast for comparison and sorting in SQL.</summary>
public enum SqlValueKind
{
    Text,
    Number,
    Boolean,
    Json,
}
