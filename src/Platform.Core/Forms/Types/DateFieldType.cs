using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>date</c>: a calendar date stored as <c>yyyy-MM-dd</c> (a date-time is taken as its China date).</summary>
public sealed class DateFieldType : StringFieldType
{
    public override string Name => "date";

    public override FieldStorage Storage => FieldStorage.Date;

    protected override FieldNormalization Check(FieldDefinition field, string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return FieldNormalization.Ok(JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return FieldNormalization.Ok(JsonValue.Create(ChinaTime.Today(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        return FieldNormalization.Fail("日期格式须为 yyyy-MM-dd");
    }
}
