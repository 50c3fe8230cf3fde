using Platform.Designer.Localization;

namespace Platform.Designer.Components.Admin;

/// <summary>The server's administration messages are written "中文 / English"; the screens show the half in the UI's language.</summary>
public static class AdminText
{
    public static string Message(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var at = message.IndexOf(" / ", StringComparison.Ordinal);
        return at < 0 ? message : Text.IsEnglish ? message[(at + 3)..] : message[..at];
    }
}
