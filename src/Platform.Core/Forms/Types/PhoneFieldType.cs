using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>phone</c>: a mainland China mobile number, 11 digits starting with 1 (spaces, dashes and +86 tolerated).</summary>
public sealed partial class PhoneFieldType : StringFieldType
{
    public override string Name => "phone";

    protected override int DefaultMaxLength => 20;

    protected override string Clean(string text)
    {
        var s = text.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        return s.StartsWith("+86", StringComparison.Ordinal) ? s[3..] : s;
    }

    protected override FieldNormalization Check(FieldDefinition field, string text) =>
        Mobile().IsMatch(text)
            ? FieldNormalization.Ok(JsonValue.Create(text))
            : FieldNormalization.Fail("手机号须为以 1 开头的 11 位数字");

    [GeneratedRegex("^1[0-9]{10}$")]
    private static partial Regex Mobile();
}
