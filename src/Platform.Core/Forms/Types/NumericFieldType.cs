using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary>Base of number, integer and money: parses, rounds to the scale and checks static bounds.</summary>
public abstract class NumericFieldType : FieldType
{
    public override FieldStorage Storage => FieldStorage.Number;

    /// <summary>Decimal places kept when the field sets no Scale.</summary>
    protected abstract int DefaultScale { get; }

    public override FieldNormalization Normalize(FieldDefinition field, JsonNode value)
    {
        if (value is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String && string.IsNullOrWhiteSpace(s.GetValue<string>()))
        {
            return FieldNormalization.Ok(null);
        }

        var number = FieldValues.AsDecimal(value);
        if (number is null)
        {
            return FieldNormalization.Fail("须为数字");
        }

        return Check(field, number.Value);
    }

    /// <summary>Rounds and checks a number computed on the server (formulas) the same way as a submitted one.</summary>
    public FieldNormalization Check(FieldDefinition field, decimal number)
    {
        if (RequiresWhole && number != decimal.Truncate(number))
        {
            return FieldNormalization.Fail("须为整数");
        }

        number = Math.Round(number, field.Scale ?? DefaultScale, MidpointRounding.AwayFromZero);
        if (field.Min is { } min && number < min)
        {
            return FieldNormalization.Fail($"不能小于 {Format(min)}");
        }

        if (field.Max is { } max && number > max)
        {
            return FieldNormalization.Fail($"不能大于 {Format(max)}");
        }

        return FieldNormalization.Ok(ToJson(number));
    }

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        if (field.Min is { } min && field.Max is { } max && min > max)
        {
            yield return ("min", "min 不能大于 max");
        }

        if (field.Scale is < 0 or > 10)
        {
            yield return ("scale", "scale 须在 0 到 10 之间");
        }
    }

    /// <summary>Integer-valued numbers are stored as JSON integers.</summary>
    public static JsonValue ToJson(decimal number) =>
        number == decimal.Truncate(number) && Math.Abs(number) < long.MaxValue
            ? JsonValue.Create((long)number)
            : JsonValue.Create(number.Normalize());

    protected virtual bool RequiresWhole => false;

    internal static string Format(decimal d) => d.Normalize().ToString(CultureInfo.InvariantCulture);
}
