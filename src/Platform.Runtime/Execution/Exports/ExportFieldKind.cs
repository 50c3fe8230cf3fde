namespace Platform.Runtime.Execution.Exports;

/// <summary>How an exported field's stored value becomes a cell.</summary>
public enum ExportFieldKind
{
    /// <summary>The stored text as it is (text, phone, e-mail, auto-number, date, record lookups).</summary>
    Text,

    /// <summary>A number cell.</summary>
    Number,

    /// <summary>A number when the value is one (formulas with a scale), else text.</summary>
    Formula,

    /// <summary>是 / 否.</summary>
    Boolean,

    /// <summary>The option's label.</summary>
    Select,

    /// <summary>The options' labels joined by 、.</summary>
    MultiSelect,

    /// <summary>A moment shown in China time, <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    DateTime,

    /// <summary>The referenced record's display field.</summary>
    Reference,

    /// <summary>The user's display name.</summary>
    User,

    /// <summary>Uploads: how many files (ids are internal).</summary>
    Files,

    /// <summary>Rows as compact text: <c>label：value，…；…</c>.</summary>
    SubTable,
}
