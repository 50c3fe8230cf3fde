using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary>Base of the text-like types: trims, treats blank as empty, checks length and pattern.</summary>
public abstract class StringFieldType : FieldType
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest value accepted when the field sets no MaxLength.</summary>
    protected virtual int DefaultMaxLength => 500;

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value)
    {
        var text = FieldValues.AsText(value);
        if (text is null)
        {
            return FieldNormalization.Fail("须为文本");
        }

        text = Clean(text);
        if (text.Length == 0)
        {
            return FieldNormalization.Ok(null);
        }

        var max = field.MaxLength ?? DefaultMaxLength;
        if (text.Length > max)
        {
            return FieldNormalization.Fail($"不能超过 {max} 个字符");
        }

        if (field.MinLength is { } min && text.Length < min)
        {
            return FieldNormalization.Fail($"至少 {min} 个字符");
        }

        if (field.Pattern is { } pattern && !Matches(pattern, text))
        {
            return FieldNormalization.Fail(field.PatternMessage ?? "格式不正确");
        }

        return Check(field, text);
    }

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (field.Pattern is { } pattern && !IsValidPattern(pattern))
        {
            yield return ("pattern", $"正则表达式无效: {pattern}");
        }

        if (field.MinLength is { } min && field.MaxLength is { } max && min > max)
        {
            yield return ("minLength", "minLength 不能大于 maxLength");
        }
    }

    /// <summary>Type-specific check of a trimmed, non-empty value.</summary>
    protected virtual FieldNormalization Check(FieldDefinition field, string text) => FieldNormalization.Ok(JsonValue.Create(text));

    protected virtual string Clean(string text) => text.Trim();

    internal static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, RegexTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
