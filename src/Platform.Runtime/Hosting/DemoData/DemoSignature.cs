namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// The one customer signature every visited demo service request carries (the execute step requires a signature):
/// a small PNG shipped inside the assembly and stored under a fixed file id when the demo data is loaded.
/// </summary>
internal static class DemoSignature
{
    /// <summary>A file id of the file store's shape (22 url-safe characters), fixed so generated records can name it.</summary>
    public const string FileId = "demo-signature-0000001";

    public const string FileName = "signature.png";

    public static byte[] Bytes()
    {
        using var stream = typeof(DemoSignature).Assembly.GetManifestResourceStream("Platform.Runtime.DemoSignature.png")
            ?? throw new InvalidOperationException("The demo signature resource is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
