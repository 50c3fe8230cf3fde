namespace Platform.Runtime.Execution.Customers;

/// <summary>A per-record form the customer's view of a request offers (a rating once the job is done): its title and signed link.</summary>
public sealed record CustomerOffer(string Form, string Title, string? TitleEn, string Url);
