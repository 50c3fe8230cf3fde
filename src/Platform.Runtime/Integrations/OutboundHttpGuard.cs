using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Platform.Runtime.Integrations;

/// <summary>
/// The one way the platform makes outbound HTTP requests (webhooks, SMS over HTTP, robots). Refuses targets that
/// are not public unicast addresses unless an administrator allow-listed them: the URL is checked, then the
/// connection itself resolves the host, checks every address and connects to the address it checked, so a DNS
/// answer that changes between check and connect (rebinding) cannot reach an internal service. Redirects are
/// followed by hand (at most <see cref="MaxRedirects"/>), each target checked again; no proxy, no cookies.
/// </summary>
public sealed class OutboundHttpGuard : IDisposable
{
    /// <summary>The only request headers a redirect to another origin keeps.</summary>
    private static readonly HashSet<string> CrossOriginHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Idempotency-Key", "X-Platform-Timestamp", "Accept", "Accept-Language", "User-Agent",
    };

    /// <summary>Redirects followed before giving up.</summary>
    public const int MaxRedirects = 3;

    private const int MaxResponseChars = 16 * 1024;

    private readonly HttpClient client;
    private readonly OutboundAllowlist allowlist;
    private readonly ILogger<OutboundHttpGuard> logger;

    public OutboundHttpGuard(OutboundAllowlist allowlist, ILogger<OutboundHttpGuard> logger)
    {
        this.allowlist = allowlist;
        this.logger = logger;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),

            // Pooled connections were checked when opened; recycle them so an allow-list change takes effect.
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
            MaxResponseHeadersLength = 64,
            ConnectCallback = ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Platform-Outbound/1.0");
    }

    /// <summary>
    /// Sends the request, following redirects, within <paramref name="timeout"/> in all. Throws
    /// <see cref="OutboundRefusedException"/> for a refused target, <see cref="TimeoutException"/> when the receiver
    /// does not answer in time; any HTTP answer (2xx or not) is returned.
    /// </summary>
    public async Task<OutboundResponse> SendAsync(OutboundRequest request, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var url = request.Url;
        var method = request.Method;
        var body = request.Body;
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        for (var hop = 0; ; hop++)
        {
            try
            {
                await CheckUrlAsync(url, cts.Token);
                using var message = new HttpRequestMessage(method, url);
                if (body is not null)
                {
                    message.Content = new ByteArrayContent(body);
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
                }

                foreach (var (name, value) in headers)
                {
                    if (!message.Headers.TryAddWithoutValidation(name, value))
                    {
                        message.Content?.Headers.TryAddWithoutValidation(name, value);
                    }
                }

                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    if (hop >= MaxRedirects)
                    {
                        throw new OutboxDeliveryException($"more than {MaxRedirects} redirects (last to {location})", status, permanent: true);
                    }

                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (!string.Equals(next.GetLeftPart(UriPartial.Authority), url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
                    {
                        // Another origin gets none of the headers that may carry credentials (auth, signatures, a connector's API keys).
                        foreach (var name in headers.Keys.Where(h => !CrossOriginHeaders.Contains(h)).ToList())
                        {
                            headers.Remove(name);
                        }
                    }

                    if (status == 303 || (status is 301 or 302 && method == HttpMethod.Post))
                    {
                        method = HttpMethod.Get;
                        body = null;
                    }

                    logger.LogInformation("Outbound {Method} {Url} redirected ({Status}) to {Next}", method, Redact(url), status, Redact(next));
                    url = next;
                    continue;
                }

                return new OutboundResponse(status, url, await ReadLimitedAsync(response, cts.Token));
            }
            catch (HttpRequestException e) when (Refusal(e) is { } refused)
            {
                throw new OutboundRefusedException(refused.Message, e);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer from {url.Host} within {timeout.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>The checks that need no DNS: scheme, userinfo, numeric and metadata hosts (unless allow-listed).</summary>
    public async Task CheckUrlAsync(Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new OutboundRefusedException($"refused: only http and https URLs may be called ({(url.IsAbsoluteUri ? url.Scheme : "relative URL")})");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new OutboundRefusedException("refused: URLs with credentials (user:password@host) are not allowed; configure the connector's auth instead");
        }

        var reason = AddressClassifier.RefusalReason(url.Host);
        if (reason is null)
        {
            return;
        }

        var address = AddressClassifier.ParseNumericHost(url.Host, out _);
        if ((address is not null && AddressClassifier.IsMetadata(address)) || !await allowlist.IsAllowedAsync(url.Host, url.Port, ct))
        {
            throw new OutboundRefusedException(reason);
        }
    }

    public void Dispose() => client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var written = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        var allowed = await allowlist.IsAllowedAsync(written, port, ct);
        var literal = AddressClassifier.ParseNumericHost(written, out var malformed);
        if (malformed)
        {
            throw new OutboundRefusedException($"refused: {host} is not a valid host");
        }

        IPAddress[] addresses;
        if (literal is not null)
        {
            addresses = [literal];
        }
        else
        {
            if (AddressClassifier.RefusalReason(host) is { } nameReason)
            {
                throw new OutboundRefusedException(nameReason);
            }

            addresses = await Dns.GetHostAddressesAsync(host, ct);
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"{host} has no address");
            }
        }

        // Every address is checked before any is tried: a name must not reach a private address on the second try.
        foreach (var address in addresses)
        {
            var category = AddressClassifier.Classify(address);
            if (AddressClassifier.IsMetadata(address) || (category is not null && !allowed))
            {
                throw new OutboundRefusedException(literal is not null
                    ? AddressClassifier.RefusalReason(written) ?? $"refused: {address} is {category}"
                    : $"refused: {host} resolves to {address}, {category}");
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static OutboundRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxResponseChars];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return new string(buffer, 0, read);
    }

    /// <summary>The URL without its query, which may carry a robot's access token or signature.</summary>
    private static string Redact(Uri url) => url.GetLeftPart(UriPartial.Path);
}
