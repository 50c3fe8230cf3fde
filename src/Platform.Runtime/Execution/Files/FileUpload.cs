using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.Files;

/// <summary>
/// One file to store: its name as the client gave it, its bytes, and the field it is for (whose type and upload
/// settings decide what is accepted). <see cref="PublicFormToken"/> marks anonymous uploads through a public form.
/// </summary>
public sealed record FileUpload(string FileName, Stream Content, FieldDefinition? Field, string? UploadedBy, string? PublicFormToken);
