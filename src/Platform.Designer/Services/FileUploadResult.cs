namespace Platform.Designer.Services;

/// <summary>The stored file, or the reason it was refused (type not allowed, content not matching, too large).</summary>
public sealed record FileUploadResult(UploadedFileView? File, string? Error);
