using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Mobile;

/// <summary>
/// Field jobs made for a test: a repair request created and accepted by customer service, dispatched by rule
/// auto_dispatch, its execute task handed to the wanted engineer (the engineer it went to transfers it when that is
/// someone else); and small PNGs to upload.
/// </summary>
internal static class FieldJobs
{
    public const string App = "after_sales";

    public static readonly byte[] TinyPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>An open execute task for <paramref name="engineer"/>: (task id, record id, flow instance id, ticket number).</summary>
    public static async Task<(Guid Task, Guid Record, Guid Instance, string TicketNo)> CreateForAsync(PlatformFixture platform, string engineer, string address = "上海市浦东新区张江路 88 号 3 栋 1201")
    {
        using var cs = await platform.ClientForAsync("cs01");
        var product = await platform.ScalarTextAsync("select id::text from records where app_key = 'after_sales' and entity_key = 'product' order by data->>'category' = 'refrigeration' desc, created_at limit 1");
        var data = new JsonObject
        {
            ["type"] = "repair",
            ["customer_name"] = "陈女士",
            ["phone"] = "13812345678",
            ["description"] = "冰箱冷藏室不制冷，压缩机一直响，已持续两天。",
            ["region"] = "east",
            ["address"] = address,
            ["priority"] = "urgent",
            ["required_skill"] = "advanced_refrigeration",
            ["product"] = product,
        };
        var record = await ApiAssert.JsonAsync(await cs.PostAsJsonAsync($"/api/apps/{App}/entities/service_request/records", new JsonObject { ["data"] = data }), HttpStatusCode.Created);
        var recordId = Guid.Parse(record["id"]!.GetValue<string>());
        var instanceId = Guid.Parse(record["flow"]!["instanceId"]!.GetValue<string>());
        var accept = await OpenTaskAsync(cs, instanceId, "accept");
        await ApiAssert.JsonAsync(await cs.PostAsJsonAsync($"/api/tasks/{accept["id"]}/actions", new { action = "approve" }), HttpStatusCode.OK);

        // auto_dispatch picked the least busy east-China refrigeration engineer; hand the visit to the wanted one.
        var execute = await OpenTaskAsync(cs, instanceId, "execute");
        var assignee = execute["assignee"]!.GetValue<string>();
        if (assignee != engineer)
        {
            using var holder = await platform.ClientForAsync(assignee);
            await ApiAssert.JsonAsync(
                await holder.PostAsJsonAsync($"/api/tasks/{execute["id"]}/actions", new { action = "transfer", to = engineer, comment = "测试：转给指定工程师" }), HttpStatusCode.OK);
        }

        var stored = await ApiAssert.JsonAsync(await cs.GetAsync($"/api/apps/{App}/entities/service_request/records/{recordId}"), HttpStatusCode.OK);
        return (Guid.Parse(execute["id"]!.GetValue<string>()), recordId, instanceId, stored["data"]!["ticket_no"]!.GetValue<string>());
    }

    public static async Task<JsonObject> OpenTaskAsync(HttpClient client, Guid instanceId, string step)
    {
        var instance = await ApiAssert.JsonAsync(await client.GetAsync($"/api/flows/instances/{instanceId}"), HttpStatusCode.OK);
        return instance["tasks"]!.AsArray().Select(t => t!.AsObject()).Single(t => t["step"]!.GetValue<string>() == step);
    }

    /// <summary>Uploads a PNG for a service request's image field as the client's user; the file id.</summary>
    public static async Task<string> UploadAsync(HttpClient client, string field, byte[] png, string name = "photo.png")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", name);
        form.Add(new StringContent(App), "app");
        form.Add(new StringContent("service_request"), "entity");
        form.Add(new StringContent(field), "field");
        var created = await ApiAssert.JsonAsync(await client.PostAsync("/api/files", form), HttpStatusCode.Created);
        return created["fileId"]!.GetValue<string>();
    }

    /// <summary>A small picture (a sky-to-floor gradient with a "device" box) as PNG, to stand in for a phone photo.</summary>
    public static byte[] PhotoPng(int width = 160, int height = 120)
    {
        var raw = new byte[(width * 3 + 1) * height];
        for (var y = 0; y < height; y++)
        {
            var row = y * (width * 3 + 1);
            for (var x = 0; x < width; x++)
            {
                var box = x is > 50 and < 110 && y is > 25 and < 105;
                var i = row + 1 + x * 3;
                raw[i] = (byte)(box ? 236 : 90 + y);
                raw[i + 1] = (byte)(box ? 240 : 130 + y / 2);
                raw[i + 2] = (byte)(box ? 244 : 200 - y / 2);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        using (var deflated = new MemoryStream())
        {
            using (var z = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", deflated.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(body);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(body));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static async Task<string?> ScalarTextAsync(this PlatformFixture platform, string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync() as string;
    }
}
