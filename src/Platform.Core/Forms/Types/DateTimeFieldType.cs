using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>datetime</c>: a moment, stored as ISO 8601 in UTC (no offset given → China time).</summary>
public sealed class DateTimeFieldType : StringFieldType
{
    public override string Name => "datetime";

    public override FieldStorage Storage => FieldStorage.DateTime;

    protected override FieldNormalization Check(FieldDefinition field, string text)
    {
        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local)
            && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return FieldNormalization.Fail("时间格式须为 ISO 8601，如 2026-11-25T09:30:00+08:00");
        }

        var at = hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaTime.Offset);
        return FieldNormalization.Ok(JsonValue.Create(at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
    }
}
