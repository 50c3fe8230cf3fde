namespace Platform.Core.Forms.Types;

/// <summary><c>textarea</c>: multi-line text.</summary>
public sealed class TextareaFieldType : StringFieldType
{
    public override string Name => "textarea";

    protected override int DefaultMaxLength => 10_000;
}
