using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Runtime.Integrations;

/// <summary>Checks a connector PUT body; every problem is reported under the JSON field it concerns.</summary>
public static partial class ConnectorValidator
{
    /// <summary>Connector kinds.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["http", "wecom", "dingtalk", "feishu"];

    /// <summary>Authentication types.</summary>
    public static readonly IReadOnlyList<string> AuthTypes = ["none", "bearer", "basic", "hmac"];

    /// <summary>Headers the platform sets itself; a connector may not override them.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-length", "content-type", "transfer-encoding", "connection", "idempotency-key",
        "x-platform-timestamp", "x-platform-signature", "authorization", "cookie", "te", "upgrade", "proxy-authorization",
    };

    /// <summary>True for a header only the platform sets (auth, signature, idempotency key, framing).</summary>
    public static bool IsReservedHeader(string name) =>
        Reserved.Contains(name) || name.StartsWith("x-platform-", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a usable connector key: lower-case letters, digits, _ and -, starting with a letter.</summary>
    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>Validates <paramref name="body"/>; <paramref name="existingSecret"/> tells whether a stored secret would be kept.</summary>
    public static (ConnectorChange? Change, Dictionary<string, IReadOnlyList<string>> Errors) Validate(JsonObject body, bool existingSecret)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var name = OptionalString(body, "name", 200, Error);
        var kind = OptionalString(body, "kind", 20, Error);
        if (kind is null)
        {
            if (!errors.ContainsKey("kind"))
            {
                Error("kind", "必填，取值 http | wecom | dingtalk | feishu / required: http | wecom | dingtalk | feishu");
            }
        }
        else if (!Kinds.Contains(kind))
        {
            Error("kind", $"不支持的类型 '{kind}'，取值 http | wecom | dingtalk | feishu / unknown kind");
        }

        var baseUrl = OptionalString(body, "baseUrl", 2048, Error);
        if (baseUrl is null)
        {
            if (!errors.ContainsKey("baseUrl"))
            {
                Error("baseUrl", "必填，需为 http(s) 绝对地址 / required: an absolute http(s) URL");
            }
        }
        else if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            Error("baseUrl", "需为 http(s) 绝对地址 / must be an absolute http or https URL");
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            Error("baseUrl", "地址中不能包含用户名密码，请使用 auth / no user:password@ in the URL; use auth");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (body["headers"])
        {
            case null:
                break;
            case JsonObject h:
                foreach (var (header, value) in h)
                {
                    if (!HeaderName().IsMatch(header))
                    {
                        Error($"headers.{header}", "不是有效的请求头名称 / not a valid header name");
                    }
                    else if (IsReservedHeader(header))
                    {
                        Error($"headers.{header}", "该请求头由平台设置 / this header is set by the platform");
                    }
                    else if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Any(c => c is '\r' or '\n' or '\0') || v.GetValue<string>().Length > 4096)
                    {
                        Error($"headers.{header}", "值必须是单行字符串 / the value must be a single-line string");
                    }
                    else
                    {
                        headers[header] = v.GetValue<string>();
                    }
                }

                break;
            default:
                Error("headers", "必须是 { 名称: 值 } 对象 / must be an object { name: value }");
                break;
        }

        var authType = "none";
        string? userName = null;
        switch (body["auth"])
        {
            case null:
                break;
            case JsonObject auth:
                authType = OptionalString(auth, "type", 20, (_, m) => Error("auth.type", m)) ?? "none";
                if (!AuthTypes.Contains(authType))
                {
                    Error("auth.type", "取值 none | bearer | basic | hmac / must be none | bearer | basic | hmac");
                }

                userName = OptionalString(auth, "userName", 200, (_, m) => Error("auth.userName", m));
                if (authType == "basic" && string.IsNullOrEmpty(userName))
                {
                    Error("auth.userName", "basic 认证需要用户名 / basic auth needs a userName");
                }
                else if (userName is not null && userName.Contains(':'))
                {
                    Error("auth.userName", "用户名不能包含冒号 / the user name may not contain ':'");
                }

                break;
            default:
                Error("auth", "必须是对象 { type, userName? } / must be an object { type, userName? }");
                break;
        }

        var secretGiven = body.ContainsKey("secret");
        var secret = OptionalString(body, "secret", 4096, Error);
        if (secretGiven && secret is { Length: 0 })
        {
            Error("secret", "密钥不能为空；删除密钥请传 null / empty; send null to remove the secret");
        }

        var hasSecret = secretGiven ? secret is { Length: > 0 } : existingSecret;
        if (authType is "bearer" or "basic" or "hmac" && !hasSecret && !errors.ContainsKey("secret"))
        {
            Error("secret", $"{authType} 认证需要密钥 / {authType} auth needs a secret");
        }

        var timeout = OptionalInt(body, "timeoutSeconds", 1, 60, Error) ?? Connector.DefaultTimeoutSeconds;
        var retries = OptionalInt(body, "retries", 0, 10, Error) ?? 9;
        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
        }

        return (new ConnectorChange(name, kind!, baseUrl!, headers, authType, userName, timeout, retries, secretGiven, secret), []);
    }

    private static string? OptionalString(JsonObject body, string field, int maxLength, Action<string, string> error)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            error(field, "必须是字符串 / must be a string");
            return null;
        }

        var text = value.GetValue<string>();
        if (text.Length > maxLength)
        {
            error(field, $"最长 {maxLength} 个字符 / at most {maxLength} characters");
            return null;
        }

        return text;
    }

    private static int? OptionalInt(JsonObject body, string field, int min, int max, Action<string, string> error)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var n) && n >= min && n <= max)
        {
            return n;
        }

        if (node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var x) && x == Math.Floor(x) && x >= min && x <= max)
        {
            return (int)x;
        }

        error(field, $"必须是 {min}..{max} 的整数 / must be an integer from {min} to {max}");
        return null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")]
    private static partial Regex HeaderName();
}
