using System.Security.Cryptography;
using System.Text;

namespace Platform.Runtime.Security;

/// <summary>Inbound-hook tokens: 32 random bytes shown once; only their SHA-256 is stored and compared in constant time.</summary>
public static class HookTokens
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="presented"/> hashes to <paramref name="storedHash"/>; false when either is missing.</summary>
    public static bool Matches(string? storedHash, string? presented)
    {
        if (string.IsNullOrEmpty(storedHash) || string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return false;
        }

        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(storedHash);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>The token from <c>Authorization: Bearer …</c> or <c>X-Hook-Token</c>.</summary>
    public static string? FromRequest(HttpRequest request)
    {
        var header = request.Headers["X-Hook-Token"].ToString();
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
