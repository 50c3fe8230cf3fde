namespace Platform.Designer.Services;

/// <summary>A verified phone (masked) and its requests, newest first.</summary>
public sealed record CustomerRequestsView(string Phone, DateTimeOffset ExpiresAt, IReadOnlyList<CustomerRequestView> Items);
