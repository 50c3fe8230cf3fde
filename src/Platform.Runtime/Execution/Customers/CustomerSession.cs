namespace Platform.Runtime.Execution.Customers;

/// <summary>A verified customer: the phone they proved with a code, for one app, until <see cref="ExpiresAt"/>.</summary>
public sealed record CustomerSession(string App, string Phone, DateTimeOffset ExpiresAt)
{
    /// <summary>The phone as shown back to its owner: 138****5678.</summary>
    public string MaskedPhone => Phone.Length == 11 ? Phone[..3] + "****" + Phone[^4..] : "****";
}
