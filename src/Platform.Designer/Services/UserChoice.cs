namespace Platform.Designer.Services;

/// <summary>A user offered by the user picker.</summary>
public sealed record UserChoice(string UserName, string DisplayName)
{
    public override string ToString() => DisplayName == UserName ? UserName : $"{DisplayName} ({UserName})";
}
