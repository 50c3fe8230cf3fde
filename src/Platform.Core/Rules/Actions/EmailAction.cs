namespace Platform.Core.Rules.Actions;

/// <summary><c>email</c>: an e-mail through the outbox, to users' addresses or an address from the record.</summary>
public sealed class EmailAction : MessageAction
{
    public override string Name => "email";
}
