using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Platform.Core.Forms;

/// <summary>
/// An auto-number pattern such as <c>RT{yyyyMMdd}{seq:4}</c>: literal text, date tokens in braces
/// (formatted in China time) and exactly one <c>{seq:N}</c>. The sequence is kept per formatted prefix,
/// so <c>RT20261125</c> counts 0001, 0002, … and restarts the next day.
/// </summary>
public sealed class AutoNumberPattern
{
    private const string DateChars = "yMdHhms";

    private readonly IReadOnlyList<(bool IsDate, string Text)> before;
    private readonly IReadOnlyList<(bool IsDate, string Text)> after;

    private AutoNumberPattern(string source, IReadOnlyList<(bool, string)> before, int width, IReadOnlyList<(bool, string)> after)
    {
        Source = source;
        this.before = before;
        Width = width;
        this.after = after;
    }

    public string Source { get; }

    /// <summary>Digits of the sequence (zero-padded; more digits once it overflows).</summary>
    public int Width { get; }

    public static AutoNumberPattern Parse(string pattern) =>
        TryParse(pattern, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string pattern, [NotNullWhen(true)] out AutoNumberPattern? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var before = new List<(bool, string)>();
        var after = new List<(bool, string)>();
        var width = 0;
        var i = 0;
        while (i < pattern.Length)
        {
            var target = width == 0 ? before : after;
            if (pattern[i] == '{')
            {
                var close = pattern.IndexOf('}', i);
                if (close < 0)
                {
                    error = $"自动编号规则 '{pattern}' 缺少 '}}'";
                    return false;
                }

                var token = pattern[(i + 1)..close];
                if (token.StartsWith("seq", StringComparison.Ordinal))
                {
                    if (width != 0)
                    {
                        error = $"自动编号规则 '{pattern}' 只能有一个 {{seq:N}}";
                        return false;
                    }

                    var digits = token.Length == 3 ? "4" : token.StartsWith("seq:", StringComparison.Ordinal) ? token[4..] : "";
                    if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out width) || width is < 1 or > 12)
                    {
                        error = $"自动编号规则 '{pattern}' 的序号位数须为 1 到 12，如 {{seq:4}}";
                        return false;
                    }
                }
                else if (token.Length > 0 && token.All(c => DateChars.Contains(c)))
                {
                    target.Add((true, token));
                }
                else
                {
                    error = $"自动编号规则 '{pattern}' 中的 {{{token}}} 无法识别（可用日期如 {{yyyyMMdd}} 和序号 {{seq:4}}）";
                    return false;
                }

                i = close + 1;
            }
            else
            {
                var c = pattern[i];
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.'))
                {
                    error = $"自动编号规则 '{pattern}' 含不允许的字符 '{c}'";
                    return false;
                }

                target.Add((false, c.ToString()));
                i++;
            }
        }

        if (width == 0)
        {
            error = $"自动编号规则 '{pattern}' 须包含一个序号 {{seq:N}}";
            return false;
        }

        parsed = new AutoNumberPattern(pattern, before, width, after);
        error = null;
        return true;
    }

    /// <summary>The text before the sequence at <paramref name="now"/>; it also names the sequence.</summary>
    public string PrefixAt(DateTimeOffset now) => Render(before, now);

    public string SuffixAt(DateTimeOffset now) => Render(after, now);

    public string Format(DateTimeOffset now, long sequence) =>
        PrefixAt(now) + sequence.ToString(CultureInfo.InvariantCulture).PadLeft(Width, '0') + SuffixAt(now);

    private static string Render(IReadOnlyList<(bool IsDate, string Text)> parts, DateTimeOffset now)
    {
        var china = ChinaTime.ToChina(now);
        var sb = new StringBuilder();
        foreach (var (isDate, text) in parts)
        {
            sb.Append(isDate ? china.ToString(text, CultureInfo.InvariantCulture) : text);
        }

        return sb.ToString();
    }
}
