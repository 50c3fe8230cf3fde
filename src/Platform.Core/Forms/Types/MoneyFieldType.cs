namespace Platform.Core.Forms.Types;

/// <summary><c>money</c>: an amount in yuan with two decimal places.</summary>
public sealed class MoneyFieldType : NumericFieldType
{
    public override string Name => "money";

    protected override int DefaultScale => 2;
}
