namespace Platform.Core.Forms;

/// <summary>The SQL kind a field's JSON value is indexed and compared as.</summary>
public enum FieldStorage
{
    Text,
    Number,
    Boolean,
    Date,
    DateTime,
    Json,
}
