namespace Platform.Core.Rules.Actions;

/// <summary><c>notify</c>: an in-app notification (the bell) to users and roles.</summary>
public sealed class NotifyAction : MessageAction
{
    public override string Name => "notify";

    protected override bool TakesAddresses => false;
}
