using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary><c>integer</c>: a whole number, shown as a number box or, with display <c>rating</c>, as min…max stars.</summary>
public sealed class IntegerFieldType : NumericFieldType
{
    /// <summary>The display that shows the value as a row of stars, one per point.</summary>
    public const string RatingDisplay = "rating";

    /// <summary>The most stars a rating shows; more no longer fit one row on a phone.</summary>
    public const int MaxRatingStars = 10;

    public override string Name => "integer";

    public override IReadOnlyCollection<string> Displays => [RatingDisplay];

    protected override int DefaultScale => 0;

    protected override bool RequiresWhole => true;

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        foreach (var problem in base.CheckDefinition(field))
        {
            yield return problem;
        }

        if (field.Display != RatingDisplay)
        {
            yield break;
        }

        if (field.Min is null || field.Max is null)
        {
            yield return (field.Min is null ? "min" : "max", "评分显示须设置最小值和最大值 / a rating display needs min and max");
            yield break;
        }

        if (field.Min < 0)
        {
            yield return ("min", "评分的最小值不能小于 0 / a rating's min must not be below 0");
        }

        if (field.Max > MaxRatingStars)
        {
            yield return ("max", $"评分的最大值不能大于 {MaxRatingStars} / a rating's max must not exceed {MaxRatingStars}");
        }
    }
}
