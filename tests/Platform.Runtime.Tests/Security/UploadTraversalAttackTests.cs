using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Path traversal in uploads: file names with ../, encoded slashes, absolute and Windows paths, NUL and very long names,
/// through the signed-in and the public upload; and downloads with traversal in the id. Every stored file lies under the
/// files directory as <c>{2 chars}/{22-char id}</c>, every stored name is a bare file name, and no download reads
/// anything else.
/// </summary>
[Collection("platform")]
public sealed partial class UploadTraversalAttackTests(PlatformFixture platform)
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static readonly string[] Names =
    [
        "../../etc/passwd.png",
        "..%2f..%2fetc%2fpasswd.png",
        "..%252f..%252fetc%252fpasswd.png",
        "/etc/passwd.png",
        "/tmp/../../root/.ssh/id.png",
        "C:\\Windows\\System32\\evil.png",
        "..\\..\\..\\evil.png",
        "....//....//x.png",
        "photo.png\u0000.html",
        "\u0000.png",
        "photo\r\n.png",
        new string('a', 300) + ".png",
        "..",
        "x.png/",
        "./.png",
        "．．／．．／full-width.png",
    ];

    [GeneratedRegex("^[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{22}$")]
    private static partial Regex StoredPath();

    /// <summary>A multipart body written by hand, so the file name reaches the server byte for byte (NUL and CR LF included).</summary>
    private static ByteArrayContent Multipart(string fileName, params (string Key, string Value)[] fields)
    {
        const string Boundary = "attack-boundary-7f3a";
        using var body = new MemoryStream();
        void Write(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        Write($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName.Replace("\"", "%22", StringComparison.Ordinal)}\"\r\nContent-Type: image/png\r\n\r\n");
        body.Write(Png);
        Write("\r\n");
        foreach (var (key, value) in fields)
        {
            Write($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n");
        }

        Write($"--{Boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return content;
    }

    [Fact]
    public async Task Upload_StoresOnlyABareNameUnderTheFilesDirectory_WhateverTheFileNameSays()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        using var admin = await platform.ClientForAsync("admin");
        var token = (await admin.GetFromJsonAsync<JsonArray>($"{Attack.App}/public-forms"))!
            .Single(l => l!["form"]!.GetValue<string>() == "return_form")!["token"]!.GetValue<string>();
        using var anonymous = platform.Anonymous();
        var root = Path.GetFullPath(platform.Factory.FilesDir);
        var outside = Directory.GetParent(root)!.FullName;
        var failures = new List<string>();

        for (var n = 0; n < Names.Length; n++)
        {
            var name = Names[n];
            var routes = new List<(HttpClient, string, (string, string)[])> { (cs01, "/api/files", [("app", "after_sales"), ("entity", "return_request"), ("field", "images")]) };
            if (n < 8)
            {
                // The public route is rate-limited per address and link: a few names are enough there.
                routes.Add((anonymous, $"/api/public/forms/{token}/files", [("field", "images")]));
            }

            foreach (var (client, url, fields) in routes)
            {
                var response = await client.PostAsync(url, Multipart(name, fields));
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest)
                {
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add($"{url} «{name}»: {(int)response.StatusCode} {text}");
                    continue;
                }

                var created = JsonNode.Parse(text)!;
                var stored = created["name"]!.GetValue<string>();
                var id = created["fileId"]!.GetValue<string>();
                if (stored.IndexOfAny(['/', '\\', '\0', '\r', '\n']) >= 0 || stored is "." or ".." || stored.Length > 200)
                {
                    failures.Add($"«{name}» stored as «{stored}»");
                }

                if (!File.Exists(Path.Combine(root, id[..2], id)))
                {
                    failures.Add($"«{name}»: {id} is not under the files directory");
                }

                if (client == cs01)
                {
                    var served = await client.GetAsync(created["url"]!.GetValue<string>());
                    var bytes = await served.Content.ReadAsByteArrayAsync();
                    if (served.StatusCode != HttpStatusCode.OK || !Png.AsSpan().SequenceEqual(bytes))
                    {
                        failures.Add($"«{name}»: served {(int)served.StatusCode}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        var strays = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !StoredPath().IsMatch(f))
            .ToList();
        Assert.Empty(strays);
        foreach (var bare in new[] { "passwd.png", "evil.png", "x.png", "id.png", "full-width.png" })
        {
            foreach (var dir in new[] { root, outside, "/etc", "/tmp", "/root/.ssh", Path.GetTempPath() })
            {
                Assert.False(File.Exists(Path.Combine(dir, bare)), $"{bare} was written to {dir}");
            }
        }
    }

    [Fact]
    public async Task Download_WithTraversalInTheId_Is404_AndReadsNothingElse()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        using var admin = await platform.ClientForAsync("admin");
        var token = (await admin.GetFromJsonAsync<JsonArray>($"{Attack.App}/public-forms"))!
            .Single(l => l!["form"]!.GetValue<string>() == "return_form")!["token"]!.GetValue<string>();
        var created = JsonNode.Parse(await (await cs01.PostAsync("/api/files", Multipart("ok.png", ("app", "after_sales"), ("entity", "return_request"), ("field", "images")))).Content.ReadAsStringAsync())!;
        var id = created["fileId"]!.GetValue<string>();
        var traversals = new[]
        {
            "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5C..%5C..%5Cetc%5Cpasswd", "%252e%252e%252fetc%252fpasswd",
            "......................", "..%2F..%2F" + id[..12], id[..2] + "%2F" + id, id + "%00", id + "%2F..%2F..%2Fetc%2Fpasswd", "%00", "~root", "%2Fetc%2Fpasswd",
            new string('A', 22).Replace("AA", "./", StringComparison.Ordinal),
        };
        using var anonymous = platform.Anonymous();
        foreach (var traversal in traversals)
        {
            foreach (var (client, prefix) in Array.IndexOf(traversals, traversal) < 4 ? new[] { (cs01, "/api/files/"), (anonymous, $"/api/public/forms/{token}/files/") } : [(cs01, "/api/files/")])
            {
                var response = await client.GetAsync(prefix + traversal);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{prefix}{traversal}: {(int)response.StatusCode}");
                Assert.DoesNotContain("root:", text);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await cs01.GetAsync($"/api/files/{id}")).StatusCode);
    }
}
