using System.Globalization;
using System.Text;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// Writes CSV as Excel on a Chinese desktop opens it: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting (a field
/// holding a comma, quote, CR or LF, or starting or ending with a space, is quoted and its quotes doubled). Text cells
/// that a spreadsheet would take for a formula — starting with <c>= + - @</c>, tab or CR — get a leading apostrophe
/// (CSV/formula injection); numbers are written as numbers and never altered.
/// </summary>
public static class CsvExport
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The UTF-8 byte order mark every export starts with.</summary>
    public static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The whole file in memory (reports, attachments).</summary>
    public static byte[] ToBytes(IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Bom);
        using (var writer = new StreamWriter(buffer, Utf8, leaveOpen: true))
        {
            writer.Write(Line(headers));
            foreach (var row in rows)
            {
                writer.Write(Line(row));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Streams the file to <paramref name="stream"/> (a response body) row by row.</summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await stream.WriteAsync(Bom.ToArray(), ct);
        await using var writer = new StreamWriter(stream, Utf8, bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Line(headers).AsMemory(), ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            await writer.WriteAsync(Line(row).AsMemory(), ct);
        }

        await writer.FlushAsync(ct);
    }

    /// <summary>One record with its CRLF.</summary>
    public static string Line(IEnumerable<object?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>One field: numbers invariant, text neutralised and quoted where needed, null empty.</summary>
    public static string Cell(object? value) => value switch
    {
        null => string.Empty,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => Quote(Neutralise(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)),
    };

    /// <summary>Prefixes <c>'</c> to text a spreadsheet would evaluate (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR first).</summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Quote(string text) =>
        text.Length > 0 && (text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || text[0] == ' ' || text[^1] == ' ')
            ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : text;
}
