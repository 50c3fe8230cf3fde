namespace Platform.Runtime.Security;

/// <summary>Claims every token and cookie carries so it can be revoked: one session per sign-in, the user's stamp, when.</summary>
public static class SessionClaims
{
    /// <summary>The sign-in this token or cookie belongs to (the bearer token and the cookie of one login share it).</summary>
    public const string SessionId = "sid";

    /// <summary>The user's security stamp at sign-in; a different stamp in the database means revoked.</summary>
    public const string SecurityStamp = "stamp";

    /// <summary>When the user signed in (Unix seconds): bounds a sliding cookie's total lifetime.</summary>
    public const string AuthTime = "auth_time";
}
