namespace Platform.Core.Forms.Types;

/// <summary><c>text</c>: a single line of text.</summary>
public sealed class TextFieldType : StringFieldType
{
    public override string Name => "text";

    protected override string Clean(string text) => text.Trim().ReplaceLineEndings(" ");
}
