using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Integrations;

/// <summary>
/// Builds the request each group robot expects: WeCom markdown, DingTalk markdown (signed with
/// <c>timestamp</c>/<c>sign</c> query parameters when a secret is set), Feishu text (signed in the body).
/// </summary>
public static class RobotMessageFormatter
{
    /// <summary>Supported providers.</summary>
    public static readonly IReadOnlyList<string> Providers = ["wecom", "dingtalk", "feishu"];

    /// <summary>The URL to post to and the JSON body, for <paramref name="now"/> (signatures are time-bound).</summary>
    public static (Uri Url, JsonObject Body) Format(string provider, Uri url, string? title, string text, string? secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(url);
        switch (provider)
        {
            case "wecom":
                return (url, new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["content"] = title is null ? text : $"**{title}**\n{text}" },
                });

            case "dingtalk":
                var dingTitle = title ?? (text.Length > 20 ? text[..20] : text);
                var body = new JsonObject
                {
                    ["msgtype"] = "markdown",
                    ["markdown"] = new JsonObject { ["title"] = dingTitle, ["text"] = title is null ? text : $"#### {title}\n\n{text}" },
                };
                if (secret is { Length: > 0 })
                {
                    var ms = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                    var sign = Uri.EscapeDataString(DingTalkSign(secret, ms));
                    var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
                    url = new Uri(url.AbsoluteUri + $"{separator}timestamp={ms}&sign={sign}");
                }

                return (url, body);

            case "feishu":
                var feishu = new JsonObject();
                if (secret is { Length: > 0 })
                {
                    var seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    feishu["timestamp"] = seconds;
                    feishu["sign"] = FeishuSign(secret, seconds);
                }

                feishu["msg_type"] = "text";
                feishu["content"] = new JsonObject { ["text"] = title is null ? text : $"{title}\n{text}" };
                return (url, feishu);

            default:
                throw OutboxDeliveryException.BadPayload($"provider '{provider}' is not one of wecom, dingtalk, feishu");
        }
    }

    /// <summary>DingTalk: Base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret)), timestamp in milliseconds.</summary>
    public static string DingTalkSign(string secret, string timestampMs) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestampMs + "\n" + secret)));

    /// <summary>Feishu: Base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty)), timestamp in seconds.</summary>
    public static string FeishuSign(string secret, string timestampSeconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestampSeconds + "\n" + secret), Array.Empty<byte>()));
}
