using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Flows;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Hosting;

/// <summary>
/// <c>backup --out</c> / <c>restore --from</c> through the real command line: records and an uploaded file backed up
/// from a running runtime, the data changed afterwards, the backup restored into a fresh database and files directory,
/// and a runtime on the restored copy serving the records and the file bytes as they were.
/// </summary>
[Collection("postgres")]
public sealed class BackupRestoreTests(PostgresFixture postgres)
{
    private const string Records = "/api/apps/after_sales/entities";

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task BackupThenRestore_BringsBackRecordsAndFileBytes_IntoAFreshDatabase_AndRefusesANonEmptyOne()
    {
        var scratch = Directory.CreateTempSubdirectory("platform-backup-test-").FullName;
        try
        {
            var source = await postgres.CreateDatabaseAsync();
            var sourceFiles = Path.Combine(scratch, "files-source");
            var port = RuntimeProcess.FreePort();
            string ticket, kept, changed, photo, lateFile;
            await using (var runtime = await RuntimeProcess.StartAsync(source, port, "node-a", "--Platform:FilesDir", sourceFiles))
            {
                using var cs = await runtime.ClientAsync("cs01");
                photo = await UploadAsync(cs);
                var created = await cs.PostAsJsonAsync($"{Records}/service_request/records", new
                {
                    data = new { type = "repair", customer_name = "备份客户", phone = "13900000001", description = "冰箱不制冷", region = "east", address = "上海市 2 号", images = new[] { photo } },
                });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                ticket = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                kept = await CreateCustomerAsync(cs, "留存客户");
                changed = await CreateCustomerAsync(cs, "原名客户");

                var tar = Path.Combine(scratch, "platform.tar");
                var backup = await RuntimeProcess.RunCommandAsync("backup", "--out", tar, "--ConnectionStrings:Platform", source, "--Platform:FilesDir", sourceFiles);
                Assert.True(backup.ExitCode == 0, backup.Output);
                Assert.Contains("1 files", backup.Output);

                // After the backup: a record deleted, one renamed, one more file uploaded.
                Assert.Equal(HttpStatusCode.NoContent, (await cs.DeleteAsync($"{Records}/customer/records/{kept}")).StatusCode);
                using var rename = new HttpRequestMessage(HttpMethod.Patch, $"{Records}/customer/records/{changed}") { Content = JsonContent.Create(new { data = new { name = "新名客户" } }) };
                rename.Headers.TryAddWithoutValidation("If-Match", "1");
                Assert.Equal(HttpStatusCode.OK, (await cs.SendAsync(rename)).StatusCode);
                lateFile = await UploadAsync(cs);
            }

            var target = await postgres.CreateDatabaseAsync();
            var targetFiles = Path.Combine(scratch, "files-restored");
            var restore = await RuntimeProcess.RunCommandAsync("restore", "--from", Path.Combine(scratch, "platform.tar"), "--ConnectionStrings:Platform", target, "--Platform:FilesDir", targetFiles);
            Assert.True(restore.ExitCode == 0, restore.Output);

            var again = await RuntimeProcess.RunCommandAsync("restore", "--from", Path.Combine(scratch, "platform.tar"), "--ConnectionStrings:Platform", target, "--Platform:FilesDir", Path.Combine(scratch, "files-other"));
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("is not empty", again.Output);

            await using (var restored = await RuntimeProcess.StartAsync(target, port, "node-a", "--Platform:FilesDir", targetFiles))
            {
                using var cs = await restored.ClientAsync("cs01");
                Assert.Equal(HttpStatusCode.OK, (await cs.GetAsync($"{Records}/customer/records/{kept}")).StatusCode);
                var renamed = await cs.GetFromJsonAsync<JsonObject>($"{Records}/customer/records/{changed}");
                Assert.Equal("原名客户", renamed!["data"]!["name"]!.GetValue<string>());
                var record = await cs.GetFromJsonAsync<JsonObject>($"{Records}/service_request/records/{ticket}");
                Assert.Equal(photo, record!["data"]!["images"]![0]!.GetValue<string>());
                var served = await cs.GetAsync($"/api/files/{photo}");
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
                Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());
                Assert.Equal(HttpStatusCode.NotFound, (await cs.GetAsync($"/api/files/{lateFile}")).StatusCode);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_AppliesPendingMigrationsOnce_ThenReportsUpToDate()
    {
        var db = await postgres.CreateDatabaseAsync();
        var first = await RuntimeProcess.RunCommandAsync("migrate", "--ConnectionStrings:Platform", db);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Applied", first.Output);
        Assert.Contains("_Initial", first.Output);

        var second = await RuntimeProcess.RunCommandAsync("migrate", "--ConnectionStrings:Platform", db);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("up to date", second.Output);
    }

    private static async Task<string> UploadAsync(HttpClient client)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "file", "冰箱照片.png");
        content.Add(new StringContent("after_sales"), "app");
        content.Add(new StringContent("service_request"), "entity");
        content.Add(new StringContent("images"), "field");
        var response = await client.PostAsync("/api/files", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["fileId"]!.GetValue<string>();
    }

    private static async Task<string> CreateCustomerAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync($"{Records}/customer/records", new
        {
            data = new { name, phone = "13900000002", tier = "regular", region = "east", address = "backup" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
