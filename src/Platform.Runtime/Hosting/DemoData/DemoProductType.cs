namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// A kind of product the demo manufacturer sells: its name, template category, the engineer skill its repairs need,
/// model-number patterns in the trade's convention (<c>#</c> is a digit), a realistic retail price band and whether
/// it is installed at the customer's home after purchase.
/// </summary>
public sealed record DemoProductType(string Name, string Category, string Skill, IReadOnlyList<string> Models, int MinPrice, int MaxPrice, bool Installed);
