using System.Diagnostics.CodeAnalysis;
using Platform.Core.Forms.Types;

namespace Platform.Core.Forms;

/// <summary>
/// Field types by stable name. <see cref="CreateDefault"/> holds the platform's 22 types; extensions add
/// their own with <see cref="AddFieldType{T}"/>. An unknown name is a validation problem, never a crash.
/// </summary>
public sealed class FieldTypeRegistry
{
    private readonly Dictionary<string, FieldType> types = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => types.Keys;

    public static FieldTypeRegistry CreateDefault() => new FieldTypeRegistry()
        .AddFieldType<TextFieldType>()
        .AddFieldType<TextareaFieldType>()
        .AddFieldType<NumberFieldType>()
        .AddFieldType<IntegerFieldType>()
        .AddFieldType<MoneyFieldType>()
        .AddFieldType<DateFieldType>()
        .AddFieldType<DateTimeFieldType>()
        .AddFieldType<SelectFieldType>()
        .AddFieldType<MultiSelectFieldType>()
        .AddFieldType<BooleanFieldType>()
        .AddFieldType<PhoneFieldType>()
        .AddFieldType<EmailFieldType>()
        .AddFieldType<ImageFieldType>()
        .AddFieldType<VideoFieldType>()
        .AddFieldType<FileFieldType>()
        .AddFieldType<ReferenceFieldType>()
        .AddFieldType<LookupFieldType>()
        .AddFieldType<SubTableFieldType>()
        .AddFieldType<FormulaFieldType>()
        .AddFieldType<AutoNumberFieldType>()
        .AddFieldType<UserFieldType>()
        .AddFieldType<AggregateFieldType>();

    public FieldTypeRegistry AddFieldType<T>()
        where T : FieldType, new() => AddFieldType(new T());

    public FieldTypeRegistry AddFieldType(FieldType type)
    {
        if (!types.TryAdd(type.Name, type))
        {
            throw new InvalidOperationException($"A field type named '{type.Name}' is already registered.");
        }

        return this;
    }

    public bool TryGet(string? name, [NotNullWhen(true)] out FieldType? type)
    {
        type = null;
        return name is not null && types.TryGetValue(name, out type);
    }

    public FieldType Get(string name) =>
        TryGet(name, out var type) ? type : throw new KeyNotFoundException($"Unknown field type '{name}'.");
}
