using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Platform.Runtime.Tests.Nodes;

/// <summary>
/// The shipped nginx site (deploy/nginx-platform.conf) run by Debian's nginx binary as this user, in a temp directory:
/// its two node addresses point at the given ports, it listens on free loopback ports with a self-signed certificate,
/// and it logs to the temp directory. Not the system service: <c>nginx -p dir -c conf</c> with <c>daemon off</c>.
/// </summary>
internal sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private NginxProxy(Process process, string directory, int tlsPort, int plainPort)
    {
        this.process = process;
        this.directory = directory;
        TlsPort = tlsPort;
        PlainPort = plainPort;
    }

    /// <summary>The nginx binary, or null when nginx is not installed.</summary>
    public static string? Binary { get; } = new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx" }.FirstOrDefault(File.Exists);

    public int TlsPort { get; }

    public int PlainPort { get; }

    public Uri Address => new($"https://127.0.0.1:{TlsPort}");

    public static async Task<NginxProxy> StartAsync(string siteFile, int nodeA, int nodeB)
    {
        var nginx = Binary ?? throw new InvalidOperationException("nginx is not installed: apt-get install nginx (./test.sh installs it when missing)");
        var directory = Path.Combine(Path.GetTempPath(), "platform-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var tlsPort = FreePort();
        var plainPort = FreePort();
        WriteCertificate(directory);

        var site = await File.ReadAllTextAsync(siteFile);
        site = Replace(site, "10.0.0.11:5000", $"127.0.0.1:{nodeA}");
        site = Replace(site, "10.0.0.12:5000", $"127.0.0.1:{nodeB}");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{plainPort};");
        site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{tlsPort} ssl http2;");
        site = Ipv6Listen().Replace(site, string.Empty);
        site = Replace(site, "/etc/ssl/platform/fullchain.pem", Path.Combine(directory, "cert.pem"));
        site = Replace(site, "/etc/ssl/platform/privkey.pem", Path.Combine(directory, "key.pem"));
        site = Replace(site, "/var/log/nginx/platform.access.log", Path.Combine(directory, "access.log"));
        site = Replace(site, "/var/log/nginx/platform.error.log", Path.Combine(directory, "error.log"));
        await File.WriteAllTextAsync(Path.Combine(directory, "platform.conf"), site);

        // As root, nginx would hand its workers to nobody, who cannot read this directory.
        var user = Environment.UserName == "root" ? "user root;" : string.Empty;
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            {{user}}
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 512; }
            http {
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                access_log off;
                include {{directory}}/platform.conf;
            }
            """);

        string[] arguments = ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log")];
        var check = Process.Start(Start(nginx, [.. arguments, "-t"]))!;
        var checkOutput = await check.StandardError.ReadToEndAsync() + await check.StandardOutput.ReadToEndAsync();
        await check.WaitForExitAsync();
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"nginx -t refused the site:\n{checkOutput}");
        }

        var process = Process.Start(Start(nginx, arguments))!;
        var proxy = new NginxProxy(process, directory, tlsPort, plainPort);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, tlsPort);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : string.Empty;
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"nginx did not listen on {tlsPort}:\n{log}");
            }
        }
    }

    /// <summary>An HTTPS client to the proxy that accepts its self-signed certificate and keeps no cookies of its own.</summary>
    public HttpClient Client() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The access log (format <c>platform</c>: <c>"GET /path HTTP/1.1" status … upstream=addr</c>) so far.</summary>
    public IReadOnlyList<string> AccessLog()
    {
        var file = Path.Combine(directory, "access.log");
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The node that answered each logged request whose line contains <paramref name="marker"/> (upstream=host:port).</summary>
    public IReadOnlyList<string> UpstreamsOf(string marker) =>
        AccessLog().Where(l => l.Contains(marker, StringComparison.Ordinal)).Select(l => Upstream().Match(l).Groups[1].Value).ToList();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM to the master through its pid file: the workers go with it (a SIGKILLed master would leave them listening).
            using var stop = Process.Start(Start(Binary!, ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log"), "-s", "stop"]))!;
            await stop.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static ProcessStartInfo Start(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Replaces text the shipped site must contain; a site that changed shape fails here instead of testing something else.</summary>
    private static string Replace(string site, string text, string with) =>
        site.Contains(text, StringComparison.Ordinal)
            ? site.Replace(text, with, StringComparison.Ordinal)
            : throw new InvalidOperationException($"deploy/nginx-platform.conf no longer contains '{text}'; update {nameof(NginxProxy)}");

    private static void WriteCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*listen \[::\]:\d+[^;]*;\s*$\n?", RegexOptions.Multiline)]
    private static partial Regex Ipv6Listen();

    [GeneratedRegex(@"upstream=(\S+)")]
    private static partial Regex Upstream();
}
