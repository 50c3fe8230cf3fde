namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform</c> configuration section.</summary>
public sealed class PlatformSettings
{
    /// <summary>Where local mode keeps its PostgreSQL cluster (default <c>.platform-data/</c> in the working directory).</summary>
    public string DataDir { get; set; } = ".platform-data";

    /// <summary>Directory of the PostgreSQL binaries (initdb, pg_ctl); found automatically when empty.</summary>
    public string? PostgresBin { get; set; }

    /// <summary>none | users | full. Empty: full in local mode, none with an external database.</summary>
    public string? Demo { get; set; }

    /// <summary>Seed for the deterministic demo data.</summary>
    public int DemoSeed { get; set; } = 20261124;

    /// <summary>Template imported on first start in local mode (or when <see cref="ImportSample"/> is true).</summary>
    public string? SamplePath { get; set; }

    /// <summary>Import the sample template on start even with an external database.</summary>
    public bool? ImportSample { get; set; }

    /// <summary>When set and there are no users yet, an <c>admin</c> user with this password is created.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Expression time limit in milliseconds.</summary>
    public int ExpressionTimeoutMs { get; set; } = 100;
}
