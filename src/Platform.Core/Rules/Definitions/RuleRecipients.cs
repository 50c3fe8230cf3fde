namespace Platform.Core.Rules.Definitions;

/// <summary>Who a notification goes to: users, everyone holding a role, the user in a user field, or addresses
/// computed by an expression (a phone for SMS, an e-mail address for e-mail).</summary>
public sealed record RuleRecipients
{
    public IReadOnlyList<string>? Users { get; init; }

    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>A user field of the record whose value is a user name.</summary>
    public string? UserField { get; init; }

    /// <summary>An expression giving an address (or an array of them), e.g. <c>phone</c> or <c>email</c>.</summary>
    public string? Address { get; init; }

    /// <summary>A reference field of the record: <see cref="Address"/> is then evaluated over the referenced record
    /// (e.g. the customer's <c>email</c> for a return request).</summary>
    public string? Via { get; init; }
}
