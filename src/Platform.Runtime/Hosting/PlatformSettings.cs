namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform</c> configuration section.</summary>
public sealed class PlatformSettings
{
    /// <summary>Where local mode keeps its PostgreSQL cluster (default <c>.platform-data/</c> in the working directory).</summary>
    public string DataDir { get; set; } = ".platform-data";

    /// <summary>Where uploaded files are kept, outside the web root (default <c>{DataDir}/files</c>); back it up with the database.</summary>
    public string? FilesDir { get; set; }

    /// <summary>The address customers reach the platform at (public form links, QR codes); default: the request's own.</summary>
    public string? PublicBaseUrl { get; set; }

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

    /// <summary>How often each timer worker looks for due timers, in milliseconds.</summary>
    public int TimerPollMs { get; set; } = 500;

    /// <summary>
    /// Most simple record creates (no flow start, no rule in their transaction) one group commit sends together; 1 writes each
    /// create on its own connection as before (no group commit).
    /// </summary>
    public int CreateBatchMax { get; set; } = 32;

    /// <summary>How many group-commit writes of simple creates may be in flight at once per node (a further one starts only for two or more waiting creates).</summary>
    public int CreateWriters { get; set; } = 1;

    /// <summary>
    /// Most self-contained flow commands (task actions and actions on instances whose transaction runs no rule) one group
    /// commit sends together; 1 writes each on its own connection as before (no group commit).
    /// </summary>
    public int ActionBatchMax { get; set; } = 32;

    /// <summary>
    /// How many group-commit batches of flow commands may be in flight at once per node, pipelined on the writer's one session
    /// (<see cref="Persistence.FlowWriterDataSource"/>): with 2, the next batch is sent while one runs, so the server starts it
    /// the moment the one before commits. A further batch starts only for <see cref="ActionPipelineMin"/> or more waiting commands.
    /// </summary>
    public int ActionWriters { get; set; } = 2;

    /// <summary>
    /// How many flow commands must wait before a further batch is pipelined behind one in flight (below 2 counts as 2). Below that they
    /// wait for the batch in flight and go with the next one: fewer, larger batches cost less of the server's and the runtime's
    /// CPU per command (a commit, a statement start-up and a round trip each), which on a small machine shared with PostgreSQL
    /// outweighs starting a small batch early (bench/README.md: 4 against 2 at 8 clients).
    /// </summary>
    public int ActionPipelineMin { get; set; } = 4;

    /// <summary>
    /// Most task-action loads (instance and record by task id) one round trip reads together while another is in flight; 1 loads
    /// each on its own connection.
    /// </summary>
    public int ActionReadBatchMax { get; set; } = 32;

    /// <summary>
    /// Flow instances (with their records) a node keeps from its own writes, so the next action on one needs no read first (its
    /// write is guarded by the instance's row version and the record's <c>xmin</c>, so a copy another node or writer made stale
    /// only costs a refused write and a fresh read). 0 turns the cache off.
    /// </summary>
    public int FlowCacheSize { get; set; } = 20_000;

    /// <summary>
    /// Timer workers per node (each claims its own batch with SKIP LOCKED). A worker spends most of a batch waiting on the
    /// database, so four keep up with timers falling due faster than two can fire them (bench/README.md, timers).
    /// </summary>
    public int TimerWorkers { get; set; } = 4;

    /// <summary>How often the outbox dispatcher looks for messages to send, in milliseconds.</summary>
    public int OutboxPollMs { get; set; } = 1000;

    /// <summary>Seconds added to a message's send timeout to form its lease; a row whose lease ran out is sent again.</summary>
    public int OutboxLeaseMarginSeconds { get; set; } = 30;

    /// <summary>This node's name in timer and outbox logs (default: machine name and process id).</summary>
    public string? NodeName { get; set; }

    /// <summary>Deliveries accepted per inbound hook and minute (then 429 with Retry-After).</summary>
    public int HookRequestsPerMinute { get; set; } = 600;

    /// <summary>Requests per minute one client address may make to one public form link (page data, submits, uploads).</summary>
    public int PublicFormRequestsPerMinute { get; set; } = 120;

    /// <summary>Tracking lookups per minute from one client address (a wrong number or phone counts too).</summary>
    public int TrackRequestsPerMinute { get; set; } = 60;

    /// <summary>Sign-in attempts (API and login page together) per minute from one client address (then 429 with Retry-After).</summary>
    public int LoginRequestsPerMinute { get; set; } = 20;

    /// <summary>Largest request body accepted, in bytes (file uploads and imports have their own larger limits).</summary>
    public long MaxRequestBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed: addresses (<c>127.0.0.1</c>) or networks
    /// (<c>10.0.0.0/8</c>), besides this machine's loopback address (127.0.0.1, ::1: nginx on the same machine needs no setting).
    /// Otherwise the headers are ignored and the connection's own address is the client's.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Sites allowed to embed public form pages (<c>/f/{token}</c>) in a frame, e.g. <c>https://www.example.com</c>.</summary>
    public List<string> EmbedAllowedOrigins { get; set; } = [];

    /// <summary>Password policy, lockout and sign-in lifetimes.</summary>
    public AccountSettings Accounts { get; set; } = new();

    /// <summary>How many levels deep one command's chain of rule firings may go.</summary>
    public int RuleMaxDepth { get; set; } = 8;

    /// <summary>SMTP for e-mail notifications; e-mail is off while <see cref="SmtpSettings.Host"/> is empty.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>The SMS provider.</summary>
    public SmsSettings Sms { get; set; } = new();

    /// <summary>The report engine (dashboard parallelism).</summary>
    public ReportSettings Reports { get; set; } = new();

    /// <summary>Limits of the customer self-service (one-time codes, sessions, tracking links).</summary>
    public CustomerSettings Customer { get; set; } = new();
}
