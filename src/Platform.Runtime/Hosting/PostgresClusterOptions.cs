namespace Platform.Runtime.Hosting;

/// <summary>Where and how to run a private PostgreSQL cluster.</summary>
public sealed record PostgresClusterOptions(string DataDirectory)
{
    /// <summary>Directory of the PostgreSQL binaries; null = find them (<see cref="PostgresBinaries"/>).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Port on 127.0.0.1; null = the port used last time if free, else any free port.</summary>
    public int? Port { get; init; }

    public string Database { get; init; } = "platform";

    /// <summary>Remove the whole directory on dispose (throwaway test clusters).</summary>
    public bool DeleteOnDispose { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
