namespace Platform.Core.Forms.Types;

/// <summary><c>number</c>: a decimal number (6 places unless Scale says otherwise).</summary>
public sealed class NumberFieldType : NumericFieldType
{
    public override string Name => "number";

    protected override int DefaultScale => 6;
}
