namespace Platform.Runtime.Hosting.DemoData;

/// <summary>A city of the demo data with its province (null for a municipality) and real districts of that city.</summary>
public sealed record DemoCity(string Region, string? Province, string City, IReadOnlyList<string> Districts)
{
    /// <summary>The start of an address in this city's district: <c>浙江省宁波市鄞州区</c>, <c>上海市浦东新区</c>.</summary>
    public string Prefix(string district) => $"{Province}{City}市{district}";
}
