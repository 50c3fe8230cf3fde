namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform:Smtp</c> section: where e-mail notifications go out.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "platform@localhost";

    /// <summary>StartTLS when the server offers it; off for local relays.</summary>
    public bool UseTls { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
