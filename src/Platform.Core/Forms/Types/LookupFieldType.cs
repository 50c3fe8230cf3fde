using Platform.Core.Metadata;

namespace Platform.Core.Forms.Types;

/// <summary>
/// <c>lookup</c>: the text a user types (an order number) or the row key they pick; the server finds the
/// matching record or row and fills the mapped fields from it.
/// </summary>
public sealed class LookupFieldType : StringFieldType
{
    public override string Name => "lookup";

    protected override int DefaultMaxLength => 100;

    public override IEnumerable<(string Path, string Message)> CheckDefinition(FieldDefinition field)
    {
        foreach (var p in base.CheckDefinition(field))
        {
            yield return p;
        }

        if (field.Lookup is null)
        {
            yield return ("lookup", "查找字段须设置 lookup");
        }
        else if ((field.Lookup.Entity is null) == (field.Lookup.Source is null))
        {
            yield return ("lookup", "lookup 须且只能设置 entity 或 source 之一");
        }
        else if (field.Lookup.Source is not null && field.Lookup.Rows is null)
        {
            yield return ("lookup.rows", "按来源查找时须设置 rows（来源记录的子表字段）");
        }
    }
}
