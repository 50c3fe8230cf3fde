using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Mass assignment: system fields (status, engineer, accepted_at), auto-numbers, computed and looked-up fields, record
/// columns (id, version, created_by, owner_department) and fields hidden or read-only for the caller's role, sent through
/// create, update and public form submissions. Each is dropped (the stored value is the system's) or refused with a
/// problem naming the field and nothing written.
/// </summary>
[Collection("platform")]
public sealed class MassAssignmentAttackTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Returns = Attack.App + "/entities/return_request/records";
    private const string Cases = Attack.LabApi + "/entities/case/records";

    public Task InitializeAsync() => Attack.EnsureLabAsync(platform);

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Return(string orderNo, string name) => new()
    {
        ["order_no"] = orderNo, ["customer_name"] = name, ["phone"] = "13800005151", ["kind"] = "exchange", ["reason"] = "wrong_item", ["quantity"] = 1,
    };

    private static JsonObject WithSystemValues(JsonObject data)
    {
        data["status"] = "refunded";
        data["request_no"] = "RT-HACK-0001";
        data["amount"] = 0.01;
        data["unit_price"] = 0.01;
        data["purchased_qty"] = 99;
        data["purchased_at"] = "2000-01-01";
        data["customer"] = Guid.CreateVersion7().ToString();
        return data;
    }

    private Task<string?> StoredAsync(Guid id, string field) =>
        Attack.ScalarAsync<string>(platform, "select data->>$2 from records where id = $1", id, field);

    /// <summary>The stored return holds the system's values: default status, its own number, and the order's facts (not the sent ones).</summary>
    private async Task AssertSystemValuesAsync(Guid id)
    {
        Assert.Equal("pending|t|t|t|t|t|t", await Attack.ScalarAsync<string>(platform, """
            select concat_ws('|', r.data->>'status', r.data->>'request_no' like 'RT2%',
              (r.data->>'unit_price')::numeric = (o.data->'items'->0->>'unit_price')::numeric,
              (r.data->>'amount')::numeric = (o.data->'items'->0->>'unit_price')::numeric,
              r.data->>'purchased_at' = o.data->>'purchased_at', r.data->>'customer' = o.data->>'customer',
              (r.data->>'purchased_qty')::numeric = (o.data->'items'->0->>'quantity')::numeric)
            from records r join records o on o.app_key = 'after_sales' and o.entity_key = 'sales_order' and o.data->>'order_no' = r.data->>'order_no'
            where r.id = $1
            """, id));
    }

    [Fact]
    public async Task Create_DropsSystemAutoNumberedAndComputedValues_AndRefusesRecordColumnsByName()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var orderNo = await Attack.SingleItemOrderAsync(platform);
        var before = await platform.CountAsync("select count(*) from records");

        var columns = WithSystemValues(Return(orderNo, "批量赋值一"));
        foreach (var key in new[] { "id", "version", "created_by", "createdBy", "owner_department", "app_key", "__proto__" })
        {
            columns[key] = key == "version" ? 99 : "admin";
        }

        Assert.Equal(
            new[] { "__proto__", "app_key", "created_by", "createdBy", "id", "owner_department", "version" }.Order(StringComparer.Ordinal),
            (await ApiAssert.InvalidFieldsAsync(await cs01.PostAsJsonAsync(Returns, Attack.Body(columns)))).Order(StringComparer.Ordinal));
        Assert.Equal(before, await platform.CountAsync("select count(*) from records"));

        // Beside "data", the body's own id, version and audit columns are not read at all.
        var forged = Guid.CreateVersion7();
        var body = Attack.Body(WithSystemValues(Return(orderNo, "批量赋值二")));
        body["id"] = forged.ToString();
        body["version"] = 7;
        body["createdBy"] = "admin";
        body["createdAt"] = "2000-01-01T00:00:00Z";
        var created = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync(Returns, body), HttpStatusCode.Created);
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.NotEqual(forged, id);
        Assert.Equal(0, await platform.CountAsync("select count(*) from records where id = $1", forged));
        Assert.Equal("1|cs01|cs_east", await Attack.ScalarAsync<string>(platform, "select concat_ws('|', version, created_by, owner_department) from records where id = $1", id));
        Assert.True(await Attack.ScalarAsync<bool>(platform, "select created_at > now() - interval '1 hour' from records where id = $1", id));
        await AssertSystemValuesAsync(id);
    }

    [Fact]
    public async Task Update_KeepsSystemAutoNumberedAndComputedValues_AndRefusesRecordColumnsByName()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var orderNo = await Attack.SingleItemOrderAsync(platform);
        var created = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync(Returns, Attack.Body(Return(orderNo, "批量赋值三"))), HttpStatusCode.Created);
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        var url = $"{Returns}/{id}";
        var version = await Attack.ScalarAsync<int>(platform, "select version from records where id = $1", id);
        var row = await Attack.RowAsync(platform, id);

        var refused = await Attack.SendAsync(cs01, HttpMethod.Patch, url, Attack.Body(new JsonObject { ["id"] = Guid.CreateVersion7().ToString(), ["version"] = 1, ["owner_department"] = "cs_south" }), version.ToString());
        Assert.Equal(["id", "owner_department", "version"], await ApiAssert.InvalidFieldsAsync(refused));
        Assert.Equal(row, await Attack.RowAsync(platform, id));

        var patch = Attack.Body(WithSystemValues(new JsonObject()));
        patch["version"] = 99;
        patch["createdBy"] = "cs02";
        Assert.Equal(HttpStatusCode.OK, (await Attack.SendAsync(cs01, HttpMethod.Patch, url, patch, version.ToString())).StatusCode);
        await AssertSystemValuesAsync(id);
        Assert.Equal("cs01|cs_east", await Attack.ScalarAsync<string>(platform, "select concat_ws('|', created_by, owner_department) from records where id = $1", id));
    }

    [Fact]
    public async Task Create_DropsDispatchValuesOfAServiceRequest_SoNoOneAssignsThemselves()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        var engineer = await Attack.ScalarAsync<Guid>(platform, "select id from records where app_key = 'after_sales' and entity_key = 'engineer' order by id limit 1");
        var created = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync(Attack.App + "/entities/service_request/records", Attack.Body(new JsonObject
        {
            ["type"] = "repair", ["customer_name"] = "自派工", ["phone"] = "13800006161", ["description"] = "x", ["region"] = "east", ["address"] = "某路 1 号",
            ["engineer"] = engineer.ToString(), ["engineer_user"] = "sp01", ["accepted_at"] = "2020-01-01T00:00:00Z", ["status"] = "closed", ["ticket_no"] = "SR-HACK",
        })), HttpStatusCode.Created);
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.Null(await StoredAsync(id, "engineer"));
        Assert.Null(await StoredAsync(id, "engineer_user"));
        Assert.Null(await StoredAsync(id, "accepted_at"));
        Assert.Equal("new", await StoredAsync(id, "status"));
        Assert.StartsWith("SR2", await StoredAsync(id, "ticket_no"));
        using var sp01 = await platform.ClientForAsync("sp01");
        Assert.Equal(HttpStatusCode.NotFound, (await sp01.GetAsync($"{Attack.App}/entities/service_request/records/{id}")).StatusCode);
    }

    [Fact]
    public async Task HiddenAndReadOnlyFieldsOfTheRole_Are403NamingThem_AndTheStoredValuesStay()
    {
        using var cs01 = await platform.ClientForAsync("cs01");
        using var sup01 = await platform.ClientForAsync("sup01");
        var before = await platform.CountAsync("select count(*) from records where app_key = $1", Attack.Lab);
        foreach (var (field, value) in new (string, JsonNode)[] { ("secret", "我写的备注"), ("grade", 9) })
        {
            var problem = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync(Cases, Attack.Body(new JsonObject { ["title"] = "越权", [field] = value })), HttpStatusCode.Forbidden);
            Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        }

        Assert.Equal(before, await platform.CountAsync("select count(*) from records where app_key = $1", Attack.Lab));

        // The supervisor sets both on cs01's case; cs01 does not see the secret and cannot change either.
        var created = await ApiAssert.JsonAsync(await cs01.PostAsJsonAsync(Cases, Attack.Body(new JsonObject { ["title"] = "字段权限" })), HttpStatusCode.Created);
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        var set = await Attack.SendAsync(sup01, HttpMethod.Patch, $"{Cases}/{id}", Attack.Body(new JsonObject { ["secret"] = "主管备注", ["grade"] = 3 }), created["version"]!.ToString());
        var version = (await ApiAssert.JsonAsync(set, HttpStatusCode.OK))["version"]!.ToString();
        var mine = await ApiAssert.JsonAsync(await cs01.GetAsync($"{Cases}/{id}"), HttpStatusCode.OK);
        Assert.False(mine["data"]!.AsObject().ContainsKey("secret"));
        Assert.DoesNotContain("主管备注", await cs01.GetStringAsync($"{Cases}/{id}/audit"));
        var row = await Attack.RowAsync(platform, id);
        foreach (var (field, value) in new (string, JsonNode)[] { ("secret", "改掉"), ("secret", JsonValue.Create((string?)null)!), ("grade", 4) })
        {
            var patch = new JsonObject { [field] = value?.DeepClone() };
            var problem = await ApiAssert.JsonAsync(await Attack.SendAsync(cs01, HttpMethod.Patch, $"{Cases}/{id}", Attack.Body(patch), version), HttpStatusCode.Forbidden);
            Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        }

        Assert.Equal(row, await Attack.RowAsync(platform, id));

        // Sending the read-only value back unchanged is fine, and an edit of another field keeps the hidden one.
        var edit = await Attack.SendAsync(cs01, HttpMethod.Patch, $"{Cases}/{id}", Attack.Body(new JsonObject { ["title"] = "字段权限（改）", ["grade"] = 3 }), version);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal("主管备注", await StoredAsync(id, "secret"));
        Assert.Equal("3", await StoredAsync(id, "grade"));
    }

    [Fact]
    public async Task PublicFormSubmit_DropsSystemAndUnshownFields_AndRefusesRecordColumnsByName()
    {
        using var admin = await platform.ClientForAsync("admin");
        var links = (await admin.GetFromJsonAsync<JsonArray>($"{Attack.App}/public-forms"))!;
        string Token(string form) => links.Single(l => l!["form"]!.GetValue<string>() == form)!["token"]!.GetValue<string>();
        using var anonymous = platform.Anonymous();
        var orderNo = await Attack.SingleItemOrderAsync(platform);
        var before = await platform.CountAsync("select count(*) from records");

        var columns = WithSystemValues(Return(orderNo, "公开批量一"));
        columns["id"] = Guid.CreateVersion7().ToString();
        columns["created_by"] = "admin";
        columns["owner_department"] = "cs_east";
        Assert.Equal(["created_by", "id", "owner_department"], await ApiAssert.InvalidFieldsAsync(await anonymous.PostAsJsonAsync($"/api/public/forms/{Token("return_form")}", Attack.Body(columns))));
        Assert.Equal(before, await platform.CountAsync("select count(*) from records"));

        var submitted = await ApiAssert.JsonAsync(await anonymous.PostAsJsonAsync($"/api/public/forms/{Token("return_form")}", Attack.Body(WithSystemValues(Return(orderNo, "公开批量二")))), HttpStatusCode.Created);
        var trackingNo = submitted["trackingNo"]!.GetValue<string>();
        Assert.NotEqual("RT-HACK-0001", trackingNo);
        var id = await Attack.ScalarAsync<Guid>(platform, "select id from records where entity_key = 'return_request' and data->>'request_no' = $1", trackingNo);
        await AssertSystemValuesAsync(id);
        Assert.Equal("public:return_form|", await Attack.ScalarAsync<string>(platform, "select created_by || '|' || coalesce(owner_department, '') from records where id = $1", id));

        // The repair form: no dispatch to oneself, no priority (not on the form), no status.
        var repair = await ApiAssert.JsonAsync(await anonymous.PostAsJsonAsync($"/api/public/forms/{Token("repair_form")}", Attack.Body(new JsonObject
        {
            ["type"] = "repair", ["customer_name"] = "公开报修", ["phone"] = "13800007171", ["description"] = "x", ["region"] = "south", ["address"] = "某路 2 号",
            ["engineer_user"] = "sp01", ["accepted_at"] = "2020-01-01T00:00:00Z", ["status"] = "closed", ["priority"] = "urgent", ["ticket_no"] = "SR-HACK",
        })), HttpStatusCode.Created);
        var ticket = await Attack.ScalarAsync<Guid>(platform, "select id from records where entity_key = 'service_request' and data->>'ticket_no' = $1", repair["trackingNo"]!.GetValue<string>());
        Assert.Null(await StoredAsync(ticket, "engineer_user"));
        Assert.Null(await StoredAsync(ticket, "accepted_at"));
        Assert.Equal("new", await StoredAsync(ticket, "status"));
        Assert.Equal("normal", await StoredAsync(ticket, "priority"));
    }
}
