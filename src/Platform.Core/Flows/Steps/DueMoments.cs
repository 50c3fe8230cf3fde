using System.Globalization;
using Platform.Core.Forms;

namespace Platform.Core.Flows.Steps;

/// <summary>Reads a date or datetime field value as a moment (a date means its start, China time).</summary>
internal static class DueMoments
{
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) ? moment : null;
    }
}
