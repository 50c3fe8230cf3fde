namespace Platform.Core.Forms.Types;

/// <summary><c>integer</c>: a whole number.</summary>
public sealed class IntegerFieldType : NumericFieldType
{
    public override string Name => "integer";

    protected override int DefaultScale => 0;

    protected override bool RequiresWhole => true;
}
