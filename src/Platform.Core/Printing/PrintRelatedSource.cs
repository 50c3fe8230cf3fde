namespace Platform.Core.Printing;

/// <summary>The records a <c>{{#related entity.field}}</c> block lists: those of <see cref="Entity"/> whose reference <see cref="Field"/> holds the printed record's id.</summary>
public sealed record PrintRelatedSource(string Entity, string Field)
{
    /// <summary><c>entity.field</c>, the key of <see cref="PrintRecord.Related"/>.</summary>
    public string Key => $"{Entity}.{Field}";
}
