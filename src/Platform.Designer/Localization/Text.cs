using System.Globalization;

namespace Platform.Designer.Localization;

/// <summary>
/// The UI's two languages. Every visible string is written as a pair, zh-CN first: <c>@T("保存", "Save")</c>.
/// The pair sits where it is used, so a screen and its translation are reviewed together and no key can go missing.
/// The culture comes from the request that opened the circuit (cookie <c>.AspNetCore.Culture</c>, set by <c>/culture</c>).
/// </summary>
public static class Text
{
    /// <summary>The cultures the UI speaks; the first is the default.</summary>
    public static IReadOnlyList<string> Cultures { get; } = ["zh-CN", "en"];

    /// <summary>True when the current UI culture is English.</summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The Chinese text, or the English one when the UI speaks English.</summary>
    public static string T(string zh, string en) => IsEnglish ? en : zh;

    /// <summary>A metadata label in the UI's language: the English label when there is one and the UI speaks English.</summary>
    public static string Label(string? zh, string? en, string fallback) =>
        IsEnglish && !string.IsNullOrWhiteSpace(en) ? en : string.IsNullOrWhiteSpace(zh) ? fallback : zh;
}
