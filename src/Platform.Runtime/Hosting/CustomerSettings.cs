namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform:Customer</c> section: limits of the login-free customer self-service (codes, sessions, links).</summary>
public sealed class CustomerSettings
{
    /// <summary>How long a one-time code is valid.</summary>
    public int CodeLifetimeSeconds { get; set; } = 300;

    /// <summary>Wrong tries one code survives; then it is dead and a new one must be requested.</summary>
    public int CodeMaxAttempts { get; set; } = 5;

    /// <summary>The wait before another code may be sent to the same phone.</summary>
    public int ResendSeconds { get; set; } = 60;

    /// <summary>Codes one phone may receive per app and hour.</summary>
    public int CodesPerPhonePerHour { get; set; } = 5;

    /// <summary>Codes one client address may request per hour (all phones, all apps).</summary>
    public int CodesPerAddressPerHour { get; set; } = 30;

    /// <summary>How long a verified customer session lasts.</summary>
    public int SessionMinutes { get; set; } = 120;

    /// <summary>How long a signed tracking link stays valid.</summary>
    public int LinkDays { get; set; } = 90;

    /// <summary>Customer API requests per minute from one client address (codes, verification, lists, links).</summary>
    public int RequestsPerMinute { get; set; } = 120;
}
