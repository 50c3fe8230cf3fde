using System.Text.Json.Nodes;
using Platform.Core.Forms.Types;
using Platform.Core.Metadata;

namespace Platform.Core.Forms;

/// <summary>How a field with the <c>rating</c> display reads as text: one ★ per point and ☆ up to the max, e.g. ★★★★☆.</summary>
public static class RatingText
{
    /// <summary>Whether the field shows as a rating.</summary>
    public static bool IsRating(FieldDefinition field) => field.Display == IntegerFieldType.RatingDisplay && field.Max is not null;

    /// <summary>The stars of a stored value, or null when the field is no rating or the value no whole number in its range.</summary>
    public static string? Stars(FieldDefinition field, JsonNode? value)
    {
        if (!IsRating(field) || FieldValues.AsDecimal(value) is not { } number || number != decimal.Truncate(number))
        {
            return null;
        }

        var max = (int)Math.Min(field.Max!.Value, IntegerFieldType.MaxRatingStars);
        var points = (int)number;
        return points < 0 || points > max ? null : new string('★', points) + new string('☆', max - points);
    }
}
