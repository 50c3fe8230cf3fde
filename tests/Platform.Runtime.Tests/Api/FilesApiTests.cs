using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>Uploads: allow-list, magic bytes, the field's accept list and size limit, safe serving, public uploads visible only under their link.</summary>
[Collection("platform")]
public sealed class FilesApiTests(PlatformFixture platform)
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static MultipartFormDataContent Upload(byte[] bytes, string name, params (string Key, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "file", name);
        foreach (var (key, value) in fields)
        {
            content.Add(new StringContent(value), key);
        }

        return content;
    }

    private static (string, string)[] ImagesField => [("app", "after_sales"), ("entity", "return_request"), ("field", "images")];

    [Fact]
    public async Task Upload_StoresAndServesTheImage_WithItsOwnTypeAndNosniff()
    {
        using var client = await platform.ClientForAsync("cs01");
        var created = await ApiAssert.JsonAsync(await client.PostAsync("/api/files", Upload(Png, "破损照片.png", ImagesField)), HttpStatusCode.Created);
        var id = created["fileId"]!.GetValue<string>();
        Assert.Equal(22, id.Length);

        var served = await client.GetAsync(created["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("inline", served.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());

        // The record API takes the id as the field's value.
        Assert.True(File.Exists(Path.Combine(platform.Factory.FilesDir, id[..2], id)));
    }

    [Theory]
    [InlineData("evil.jpg", "<script>alert(1)</script>", "file")]
    [InlineData("page.html", "<html></html>", "file")]
    [InlineData("drawing.svg", "<svg onload=alert(1)></svg>", "file")]
    [InlineData("report.pdf", "%PDF-1.4 not an image", "file")]
    public async Task Upload_Is422NamingFile_WhenTypeOrContentIsWrong(string name, string content, string field)
    {
        using var client = await platform.ClientForAsync("cs01");
        var response = await client.PostAsync("/api/files", Upload(Encoding.UTF8.GetBytes(content), name, ImagesField));
        Assert.Equal([field], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Fact]
    public async Task Upload_Is422_WhenLargerThanTheFieldAllows()
    {
        using var client = await platform.ClientForAsync("cs01");
        var big = new byte[11 * 1024 * 1024];
        Png.CopyTo(big, 0);
        var response = await client.PostAsync("/api/files", Upload(big, "big.png", ImagesField));
        Assert.Equal(["file"], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Empty(Directory.EnumerateFiles(platform.Factory.FilesDir, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_KeepsOnlyTheFileName_WhenTheNameTriesPathTraversal()
    {
        using var client = await platform.ClientForAsync("cs01");
        var created = await ApiAssert.JsonAsync(await client.PostAsync("/api/files", Upload(Png, "../../../etc/passwd.png", ImagesField)), HttpStatusCode.Created);
        Assert.Equal("passwd.png", created["name"]!.GetValue<string>());
        var id = created["fileId"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(platform.Factory.FilesDir, id[..2], id)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/files/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    [Fact]
    public async Task Upload_Is401_WithoutAUser_And422_ForAFieldThatIsNoUpload()
    {
        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/files", Upload(Png, "a.png", ImagesField))).StatusCode);
        using var client = await platform.ClientForAsync("cs01");
        var response = await client.PostAsync("/api/files", Upload(Png, "a.png", ("app", "after_sales"), ("entity", "return_request"), ("field", "phone")));
        Assert.Equal(["field"], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Fact]
    public async Task PublicUpload_IsServedOnlyUnderItsOwnLink()
    {
        using var analyst = await platform.ClientForAsync("analyst");
        var links = await analyst.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms");
        var token = links!.Single(l => l!["form"]!.GetValue<string>() == "return_form")!["token"]!.GetValue<string>();
        using var anonymous = platform.Anonymous();

        var created = await ApiAssert.JsonAsync(await anonymous.PostAsync($"/api/public/forms/{token}/files", Upload(Png, "photo.png", ("field", "images"))), HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);

        // A file uploaded by staff is not reachable through a public link.
        using var cs = await platform.ClientForAsync("cs01");
        var staff = await ApiAssert.JsonAsync(await cs.PostAsync("/api/files", Upload(Png, "internal.png", ImagesField)), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/public/forms/{token}/files/{staff["fileId"]}")).StatusCode);

        // Only the form's own upload fields.
        var wrong = await anonymous.PostAsync($"/api/public/forms/{token}/files", Upload(Png, "photo.png", ("field", "customer_name")));
        Assert.Equal(["field"], await ApiAssert.InvalidFieldsAsync(wrong));
    }
}
