using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>user</c>: a platform user, stored by user name.</summary>
public sealed partial class UserFieldType : StringFieldType
{
    public override string Name => "user";

    protected override int DefaultMaxLength => 64;

    protected override FieldNormalization Check(FieldDefinition field, string text) =>
        UserName().IsMatch(text) ? FieldNormalization.Ok(JsonValue.Create(text)) : FieldNormalization.Fail("用户名格式不正确");

    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,64}$")]
    private static partial Regex UserName();
}
