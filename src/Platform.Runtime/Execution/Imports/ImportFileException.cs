namespace Platform.Runtime.Execution.Imports;

/// <summary>The uploaded file cannot be read as a sheet (format, encoding, size); the message is shown to the user.</summary>
public sealed class ImportFileException(string message) : Exception(message);
