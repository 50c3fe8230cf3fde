namespace Platform.Designer.Services;

/// <summary>A form the customer's view of a request offers now (rate the finished job): its title and the path of its signed link.</summary>
public sealed record CustomerOfferView(string Form, string Title, string? TitleEn, string Path);
