using System.Data;
using System.Text;
using System.Threading.Channels;
using MiniExcelLibs;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// Writes one-sheet workbooks with MiniExcel: a header row of labels, then one row per item; numbers stay numbers and
/// text is stored as text (a cell starting with <c>=</c> is shown, never evaluated). MiniExcel writes synchronously and
/// needs a seekable stream (a temp file or memory), so a streamed export is bridged: the rows are read asynchronously
/// into a small bounded channel that the writer drains on its own thread.
/// </summary>
public static class XlsxExport
{
    /// <summary>Rows in flight between the reader and the writer.</summary>
    private const int Buffered = 1000;

    /// <summary>The whole workbook in memory (reports, attachments).</summary>
    public static byte[] ToBytes(IReadOnlyList<string> headers, IEnumerable<object?[]> rows, string? sheetName)
    {
        using var buffer = new MemoryStream();
        Write(buffer, headers, rows, sheetName);
        return buffer.ToArray();
    }

    /// <summary>Writes the workbook to a seekable <paramref name="stream"/>, enumerating <paramref name="rows"/> once.</summary>
    public static void Write(Stream stream, IReadOnlyList<string> headers, IEnumerable<object?[]> rows, string? sheetName)
    {
        var keys = UniqueKeys(headers);
        using var e = rows.GetEnumerator();
        var sheet = SheetName(sheetName);
        if (!e.MoveNext())
        {
            // MiniExcel takes the header from the first row; with none, a table still gives it the columns.
            using var table = new DataTable();
            foreach (var key in keys)
            {
                table.Columns.Add(key, typeof(object));
            }

            stream.SaveAs(table, sheetName: sheet, excelType: ExcelType.XLSX);
            return;
        }

        stream.SaveAs(Rows(keys, e), sheetName: sheet, excelType: ExcelType.XLSX);
    }

    /// <summary>Writes the workbook from an asynchronous row source without holding all rows in memory.</summary>
    public static async Task WriteAsync(Stream stream, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, string? sheetName, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<object?[]>(new BoundedChannelOptions(Buffered) { SingleReader = true, SingleWriter = true });
        var writer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    Write(stream, headers, Drain(channel.Reader, cts.Token), sheetName);
                }
                catch
                {
                    cts.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await foreach (var row in rows.WithCancellation(cts.Token))
            {
                await channel.Writer.WriteAsync(row, cts.Token);
            }

            channel.Writer.Complete();
        }
        catch (Exception e)
        {
            channel.Writer.TryComplete(e);
            try
            {
                await writer;
            }
            catch (Exception) when (e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                // The writer failed first and cancelled the reading: its exception explains what happened.
                throw;
            }
            catch (Exception)
            {
                // The writer stopped because the reading failed; that failure is the one to report.
            }

            throw;
        }

        await writer;
    }

    private static IEnumerable<object?[]> Drain(ChannelReader<object?[]> reader, CancellationToken ct)
    {
        while (reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var row))
            {
                yield return row;
            }
        }
    }

    private static IEnumerable<IDictionary<string, object?>> Rows(IReadOnlyList<string> keys, IEnumerator<object?[]> e)
    {
        do
        {
            var row = new Dictionary<string, object?>(keys.Count, StringComparer.Ordinal);
            var cells = e.Current;
            for (var i = 0; i < keys.Count; i++)
            {
                row[keys[i]] = i < cells.Length ? Cell(cells[i]) : null;
            }

            yield return row;
        }
        while (e.MoveNext());
    }

    private static object? Cell(object? value) => value is string s ? XmlSafe(s) : value;

    /// <summary>Header labels as distinct column keys (a repeated label gets " (2)", " (3)" …).</summary>
    private static List<string> UniqueKeys(IReadOnlyList<string> headers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keys = new List<string>(headers.Count);
        foreach (var header in headers)
        {
            var key = string.IsNullOrWhiteSpace(header) ? "-" : XmlSafe(header);
            for (var n = 2; !seen.Add(key); n++)
            {
                key = $"{header} ({n})";
            }

            keys.Add(key);
        }

        return keys;
    }

    /// <summary>Excel sheet names: at most 31 characters, none of <c>[ ] : * ? / \</c>.</summary>
    private static string SheetName(string? name)
    {
        var clean = new string((name ?? string.Empty).Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' || char.IsControl(c) ? '_' : c).ToArray()).Trim('\'', ' ');
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters other than tab, CR, LF; lone surrogates).</summary>
    private static string XmlSafe(string text)
    {
        var clean = true;
        for (var i = 0; i < text.Length && clean; i++)
        {
            clean = IsXmlChar(text, i, out var width);
            i += width - 1;
        }

        if (clean)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsXmlChar(text, i, out var width))
            {
                sb.Append(text, i, width);
            }

            i += width - 1;
        }

        return sb.ToString();
    }

    private static bool IsXmlChar(string text, int i, out int width)
    {
        var c = text[i];
        width = 1;
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                return true;
            }

            return false;
        }

        return c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
