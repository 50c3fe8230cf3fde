using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>email</c>: an e-mail address (stored lower-case in the domain part).</summary>
public sealed partial class EmailFieldType : StringFieldType
{
    public override string Name => "email";

    protected override int DefaultMaxLength => 254;

    protected override FieldNormalization Check(FieldDefinition field, string text)
    {
        if (!Email().IsMatch(text))
        {
            return FieldNormalization.Fail("邮箱格式不正确");
        }

        var at = text.LastIndexOf('@');
        return FieldNormalization.Ok(JsonValue.Create(text[..at] + text[at..].ToLowerInvariant()));
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
