namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform:Sms</c> section: which provider sends SMS.</summary>
public sealed class SmsSettings
{
    /// <summary><c>logging</c> (default: log and record as sent) or <c>http</c> (POST to <see cref="Url"/>).</summary>
    public string Provider { get; set; } = "logging";

    /// <summary>The HTTP provider's endpoint.</summary>
    public string? Url { get; set; }

    /// <summary>Bearer token for the HTTP provider.</summary>
    public string? Token { get; set; }

    /// <summary>Time limit of one HTTP provider call.</summary>
    public int TimeoutSeconds { get; set; } = 10;
}
