namespace Platform.Runtime.Execution.Files;

/// <summary>An uploaded file's row: what a field's file id names.</summary>
public sealed record StoredFile(string Id, string Name, string Extension, string ContentType, long Size, string Sha256, string? UploadedBy, string? PublicFormToken, DateTimeOffset CreatedAt);
