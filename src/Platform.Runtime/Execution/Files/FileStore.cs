using System.Security.Cryptography;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Execution.Files;

/// <summary>
/// Stores uploads outside the web root (<c>Platform:FilesDir</c>, default <c>{DataDir}/files</c>): the extension must be
/// on the allow-list, the first bytes must match it, the size must fit the field's limit. The bytes are written to a
/// temporary file and moved into place before the row is inserted, so a row never names a half-written file.
/// </summary>
public sealed class FileStore(NpgsqlDataSource dataSource, PlatformSettings settings, TimeProvider time)
{
    /// <summary>The largest upload any field may allow.</summary>
    public const long HardLimitBytes = 100L * 1024 * 1024;

    private string Root => Path.GetFullPath(settings.FilesDir ?? Path.Combine(settings.DataDir, "files"));

    /// <summary>The default size limit per field type when the field sets none.</summary>
    public static long DefaultLimitBytes(string? fieldType) => fieldType == "video" ? 100L * 1024 * 1024 : 10L * 1024 * 1024;

    /// <summary>Checks and stores one upload; the error names the rule that refused it.</summary>
    public async Task<(StoredFile? File, string? Error)> SaveAsync(FileUpload upload, CancellationToken ct)
    {
        var name = Path.GetFileName(upload.FileName.Replace('\\', '/')).Trim();
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
        {
            return (null, "文件名无效 / invalid file name");
        }

        var kind = FileKinds.ForName(name);
        if (kind is null)
        {
            return (null, $"不支持的文件类型「{Path.GetExtension(name)}」/ file type not allowed");
        }

        var field = upload.Field;
        if (field is not null && (!FileKinds.Fits(kind, field.Type) || !FileKinds.Accepted(kind, field.Upload?.Accept ?? [])))
        {
            return (null, $"「{field.Label ?? field.Key}」不接受 .{kind.Extension} 文件 / not accepted by this field");
        }

        var limit = Math.Min(HardLimitBytes, field?.Upload?.MaxSizeMb is { } mb ? mb * 1024L * 1024 : DefaultLimitBytes(field?.Type));
        var id = NewId();
        var target = PathOf(id);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".part";
        long size = 0;
        string sha;
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                var header = new byte[FileKinds.HeaderBytes];
                var headerLength = 0;
                int read;
                while ((read = await upload.Content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        return Refuse(temp, $"文件超过 {limit / 1024 / 1024} MB / file too large");
                    }

                    if (headerLength < header.Length)
                    {
                        var take = Math.Min(read, header.Length - headerLength);
                        Array.Copy(buffer, 0, header, headerLength, take);
                        headerLength += take;
                    }

                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                if (size == 0 || !kind.Matches(header.AsMemory(0, headerLength)))
                {
                    return Refuse(temp, $"文件内容不是 .{kind.Extension} 格式 / content does not match the extension");
                }

                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                await output.FlushAsync(ct);
            }

            File.Move(temp, target);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        var stored = new StoredFile(id, name, kind.Extension, kind.ContentType, size, sha, upload.UploadedBy, upload.PublicFormToken, time.GetUtcNow());
        try
        {
            await using var cmd = dataSource.CreateCommand(
                "insert into files (id, name, extension, content_type, size, sha256, uploaded_by, public_form_token, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
            foreach (var value in new object?[] { stored.Id, stored.Name, stored.Extension, stored.ContentType, stored.Size, stored.Sha256, stored.UploadedBy, stored.PublicFormToken, stored.CreatedAt })
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            File.Delete(target);
            throw;
        }

        return (stored, null);
    }

    /// <summary>
    /// Stores bytes the platform ships (demo data) under a fixed id, inside the caller's transaction: written once,
    /// left alone when the id is already taken.
    /// </summary>
    public async Task EnsureAsync(string id, string name, byte[] content, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var kind = FileKinds.ForName(name) ?? throw new ArgumentException($"File type of '{name}' is not allowed.", nameof(name));
        if (!IsId(id) || !kind.Matches(content.AsMemory(0, Math.Min(content.Length, FileKinds.HeaderBytes))))
        {
            throw new ArgumentException($"'{id}' is not a file id, or the bytes are not .{kind.Extension}.", nameof(id));
        }

        var target = PathOf(id);
        if (!File.Exists(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".part";
            await File.WriteAllBytesAsync(temp, content, ct);
            File.Move(temp, target, overwrite: true);
        }

        await using var cmd = new NpgsqlCommand(
            "insert into files (id, name, extension, content_type, size, sha256, uploaded_by, created_at) values ($1, $2, $3, $4, $5, $6, 'system', $7) on conflict (id) do nothing",
            connection, transaction);
        foreach (var value in new object[] { id, name, kind.Extension, kind.ContentType, (long)content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), time.GetUtcNow() })
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The rows of the given file ids (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<StoredFile>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var cmd = dataSource.CreateCommand(
            "select id, name, extension, content_type, size, sha256, uploaded_by, public_form_token, created_at from files where id = any($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var found = new List<StoredFile>();
        while (await reader.ReadAsync(ct))
        {
            found.Add(new StoredFile(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return found;
    }

    /// <summary>Opens a stored file's bytes for reading, or null when the id names no file.</summary>
    public async Task<(StoredFile File, Stream Content)?> OpenAsync(string id, CancellationToken ct)
    {
        if (!IsId(id) || (await FindAsync([id], ct)).FirstOrDefault() is not { } file || !File.Exists(PathOf(id)))
        {
            return null;
        }

        return (file, new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    /// <summary>The field a file is uploaded for: a top-level field key, or <c>subTable.field</c> for a sub-table row field.</summary>
    public static FieldDefinition? FindUploadField(EntityDefinition entity, string path)
    {
        var parts = path.Split('.', 2);
        var field = entity.FindField(parts[0]);
        if (parts.Length == 2)
        {
            field = field?.Fields?.FirstOrDefault(f => f.Key == parts[1]);
        }

        return field?.Type is "image" or "video" or "file" ? field : null;
    }

    /// <summary>File ids are 22 url-safe base64 characters (128 random bits): unguessable and safe as a file name.</summary>
    public static bool IsId(string id) => id.Length == 22 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private string PathOf(string id) => Path.Combine(Root, id[..2], id);

    private static (StoredFile?, string?) Refuse(string temp, string error)
    {
        File.Delete(temp);
        return (null, error);
    }
}
