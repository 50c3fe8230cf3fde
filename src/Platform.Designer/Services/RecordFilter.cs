namespace Platform.Designer.Services;

/// <summary>One condition of a record list: <c>field:op:value</c> as the list API takes it (op one of eq ne gt ge lt le contains in; in splits by <c>|</c>).</summary>
public sealed record RecordFilter(string Field, string Op, string Value)
{
    /// <summary>The <c>filter=</c> text of the list and export APIs.</summary>
    public override string ToString() => $"{Field}:{Op}:{Value}";
}
