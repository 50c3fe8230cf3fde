namespace Platform.Runtime.Api;

/// <summary>The outbound allow-list: <c>host</c>, <c>host:port</c>, IPs or <c>[IPv6]:port</c> that may be reached although private.</summary>
public sealed record AllowlistDto(IReadOnlyList<string> Hosts);
