using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>Users, departments and roles through <c>/api/admin</c>; every test makes its own keys so the demo organisation stays as it is.</summary>
[Collection("platform")]
public sealed class OrganisationApiTests(PlatformFixture platform)
{
    private const string Password = "secret-pass-1";

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static async Task<JsonObject> CreatedAsync(HttpResponseMessage response) => await ApiAssert.JsonAsync(response, HttpStatusCode.Created);

    private async Task<string> CreateRoleAsync(HttpClient admin, string? key = null)
    {
        key ??= Unique("t_role");
        await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/roles", new { key, name = "测试角色 " + key }));
        return key;
    }

    private async Task<string> CreateDepartmentAsync(HttpClient admin, string? parentKey = null)
    {
        var key = Unique("t_dept");
        await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/departments", new { key, name = "测试部门 " + key, parentKey }));
        return key;
    }

    private async Task<HttpStatusCode> LoginStatusAsync(string userName, string password)
    {
        using var anonymous = platform.Anonymous();
        return (await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password })).StatusCode;
    }

    [Fact]
    public async Task Users_CreateListUpdateResetAndDeactivate_RoundTrip()
    {
        using var admin = await platform.ClientForAsync("admin");
        var role = await CreateRoleAsync(admin);
        var department = await CreateDepartmentAsync(admin);
        var userName = Unique("t.user");

        var created = await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName, displayName = "测试用户", password = Password, roles = new[] { role }, department, phone = "13900001111", email = "t@example.cn", external = true,
        }));
        Assert.Equal(userName, created["userName"]!.GetValue<string>());
        Assert.Equal([role], created["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(department, created["department"]!.GetValue<string>());
        Assert.True(created["active"]!.GetValue<bool>());
        Assert.True(created["external"]!.GetValue<bool>());
        Assert.Null(created["passwordHash"]);
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(userName, Password));

        var byText = await ApiAssert.JsonAsync(await admin.GetAsync($"/api/admin/users?text={Uri.EscapeDataString(userName.ToUpperInvariant())}"), HttpStatusCode.OK);
        Assert.Equal(1, byText["total"]!.GetValue<int>());
        Assert.Equal("测试部门 " + department, byText["items"]![0]!["departmentName"]!.GetValue<string>());
        var byRole = await ApiAssert.JsonAsync(await admin.GetAsync($"/api/admin/users?role={role}&department={department}"), HttpStatusCode.OK);
        Assert.Equal([userName], byRole["items"]!.AsArray().Select(u => u!["userName"]!.GetValue<string>()));

        var updated = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { displayName = "改名后", department = (string?)null, phone = "13900002222", roles = Array.Empty<string>() }), HttpStatusCode.OK);
        Assert.Equal("改名后", updated["displayName"]!.GetValue<string>());
        Assert.Null(updated["department"]);
        Assert.Equal("13900002222", updated["phone"]!.GetValue<string>());
        Assert.Equal("t@example.cn", updated["email"]!.GetValue<string>());
        Assert.Empty(updated["roles"]!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/admin/users/{userName}/password", new { password = "another-pass-2" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(userName, Password));
        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(userName, "another-pass-2"));

        var deactivated = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { active = false }), HttpStatusCode.OK);
        Assert.False(deactivated["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(userName, "another-pass-2"));
        var inactive = await ApiAssert.JsonAsync(await admin.GetAsync($"/api/admin/users?text={userName}&active=false"), HttpStatusCode.OK);
        Assert.Equal(1, inactive["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("userName", """{ "userName": "Bad Name", "displayName": "x", "password": "secret-pass-1" }""")]
    [InlineData("userName", """{ "userName": "admin", "displayName": "x", "password": "secret-pass-1" }""")]
    [InlineData("displayName", """{ "userName": "t_nodisplay", "displayName": " ", "password": "secret-pass-1" }""")]
    [InlineData("password", """{ "userName": "t_shortpw", "displayName": "x", "password": "short" }""")]
    [InlineData("roles", """{ "userName": "t_badrole", "displayName": "x", "password": "secret-pass-1", "roles": ["no_such_role"] }""")]
    [InlineData("roles", """{ "userName": "t_rolestext", "displayName": "x", "password": "secret-pass-1", "roles": "customer_service" }""")]
    [InlineData("department", """{ "userName": "t_baddept", "displayName": "x", "password": "secret-pass-1", "department": "no_such_department" }""")]
    [InlineData("phone", """{ "userName": "t_badphone", "displayName": "x", "password": "secret-pass-1", "phone": "call me" }""")]
    [InlineData("email", """{ "userName": "t_bademail", "displayName": "x", "password": "secret-pass-1", "email": "not-an-address" }""")]
    [InlineData("external", """{ "userName": "t_badext", "displayName": "x", "password": "secret-pass-1", "external": "yes" }""")]
    public async Task CreateUser_Returns422NamingTheField_AndWritesNothing_WhenInvalid(string field, string body)
    {
        using var admin = await platform.ClientForAsync("admin");
        var before = await platform.CountAsync("select count(*) from users");

        var response = await admin.PostAsync("/api/admin/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal([field], await ApiAssert.InvalidFieldsAsync(response));
        Assert.Equal(before, await platform.CountAsync("select count(*) from users"));
    }

    [Fact]
    public async Task UpdateUser_Returns422_WhenAdminDeactivatesThemselfOrDropsOwnAdminRole()
    {
        using var admin = await platform.ClientForAsync("admin");

        Assert.Equal(["active"], await ApiAssert.InvalidFieldsAsync(await admin.PatchAsJsonAsync("/api/admin/users/admin", new { active = false })));
        Assert.Equal(["roles"], await ApiAssert.InvalidFieldsAsync(await admin.PatchAsJsonAsync("/api/admin/users/admin", new { roles = new[] { "designer" } })));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/admin/users/no_such_user", new { active = false })).StatusCode);
    }

    [Fact]
    public async Task Departments_CreateRenameMoveAndDelete_AsATree()
    {
        using var admin = await platform.ClientForAsync("admin");
        var parent = await CreateDepartmentAsync(admin);
        var child = await CreateDepartmentAsync(admin, parent);
        var other = await CreateDepartmentAsync(admin, "hq");

        var renamed = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{child}", new { name = "新名称", nameEn = "New name" }), HttpStatusCode.OK);
        Assert.Equal("新名称", renamed["name"]!.GetValue<string>());
        Assert.Equal(parent, renamed["parentKey"]!.GetValue<string>());

        var moved = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{child}", new { parentKey = other }), HttpStatusCode.OK);
        Assert.Equal(other, moved["parentKey"]!.GetValue<string>());
        Assert.Equal("新名称", moved["name"]!.GetValue<string>());

        var tree = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/departments"))!;
        var hq = tree.Single(d => d!["key"]!.GetValue<string>() == "hq")!;
        var otherNode = hq["children"]!.AsArray().Single(d => d!["key"]!.GetValue<string>() == other)!;
        Assert.Equal([child], otherNode["children"]!.AsArray().Select(d => d!["key"]!.GetValue<string>()));
        Assert.Contains(tree, d => d!["key"]!.GetValue<string>() == parent && d["children"]!.AsArray().Count == 0);
        var csCentre = hq["children"]!.AsArray().Single(d => d!["key"]!.GetValue<string>() == "cs_center")!;
        Assert.Contains(csCentre["children"]!.AsArray(), d => d!["key"]!.GetValue<string>() == "cs_east" && d["userCount"]!.GetValue<int>() >= 1);

        var root = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{child}", new { parentKey = (string?)null }), HttpStatusCode.OK);
        Assert.Null(root["parentKey"]);

        foreach (var key in new[] { child, other, parent })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/departments/{key}")).StatusCode);
        }

        Assert.Equal(0, await platform.CountAsync("select count(*) from departments where key = any($1)", (object)new[] { child, other, parent }));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/admin/departments/{child}")).StatusCode);
    }

    [Fact]
    public async Task MoveDepartment_Returns422OnParentKey_WhenUnderItselfOrADescendant()
    {
        using var admin = await platform.ClientForAsync("admin");
        var top = await CreateDepartmentAsync(admin);
        var middle = await CreateDepartmentAsync(admin, top);
        var bottom = await CreateDepartmentAsync(admin, middle);

        Assert.Equal(["parentKey"], await ApiAssert.InvalidFieldsAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{top}", new { parentKey = top })));
        Assert.Equal(["parentKey"], await ApiAssert.InvalidFieldsAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{top}", new { parentKey = middle })));
        Assert.Equal(["parentKey"], await ApiAssert.InvalidFieldsAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{top}", new { parentKey = bottom })));
        Assert.Equal(["parentKey"], await ApiAssert.InvalidFieldsAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{top}", new { parentKey = "no_such_department" })));
        Assert.Equal(0, await platform.CountAsync("select count(*) from departments where key = $1 and parent_key is not null", top));

        // Moving down the other way round is fine: the bottom one under the top one.
        var moved = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/departments/{bottom}", new { parentKey = top }), HttpStatusCode.OK);
        Assert.Equal(top, moved["parentKey"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("key", """{ "key": "Bad-Key", "name": "x" }""")]
    [InlineData("key", """{ "key": "hq", "name": "x" }""")]
    [InlineData("name", """{ "key": "t_noname", "name": "" }""")]
    [InlineData("parentKey", """{ "key": "t_badparent", "name": "x", "parentKey": "no_such_department" }""")]
    [InlineData("sort", """{ "key": "t_badsort", "name": "x", "sort": "first" }""")]
    public async Task CreateDepartment_Returns422NamingTheField_WhenInvalid(string field, string body)
    {
        using var admin = await platform.ClientForAsync("admin");

        var response = await admin.PostAsync("/api/admin/departments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal([field], await ApiAssert.InvalidFieldsAsync(response));
    }

    [Fact]
    public async Task DeleteDepartment_Returns409SayingWhy_WhenItHasUsersOrChildren()
    {
        using var admin = await platform.ClientForAsync("admin");
        var parent = await CreateDepartmentAsync(admin);
        var child = await CreateDepartmentAsync(admin, parent);
        var userName = Unique("t_member");
        await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = "成员", password = Password, department = child }));

        var withChild = await ApiAssert.JsonAsync(await admin.DeleteAsync($"/api/admin/departments/{parent}"), HttpStatusCode.Conflict);
        Assert.Contains("child department", withChild["detail"]!.GetValue<string>());
        var withUser = await ApiAssert.JsonAsync(await admin.DeleteAsync($"/api/admin/departments/{child}"), HttpStatusCode.Conflict);
        Assert.Contains("1 user(s)", withUser["detail"]!.GetValue<string>());

        // An inactive member still blocks it; moving them out frees it.
        await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { active = false }), HttpStatusCode.OK);
        await ApiAssert.JsonAsync(await admin.DeleteAsync($"/api/admin/departments/{child}"), HttpStatusCode.Conflict);
        await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { department = parent }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/departments/{child}")).StatusCode);
        Assert.Equal(2, await platform.CountAsync("select count(*) from departments where key = any($1)", (object)new[] { parent, "cs_east" }));
    }

    [Fact]
    public async Task Roles_CreateUpdateAndDelete_WithUserCounts()
    {
        using var admin = await platform.ClientForAsync("admin");
        var key = Unique("t_role");
        var created = await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/roles", new { key, name = "巡检", nameEn = "Inspector", description = "现场巡检", external = true }));
        Assert.True(created["external"]!.GetValue<bool>());
        Assert.Equal(0, created["userCount"]!.GetValue<int>());

        var updated = await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/roles/{key}", new { name = "巡检员", description = (string?)null, external = false }), HttpStatusCode.OK);
        Assert.Equal("巡检员", updated["name"]!.GetValue<string>());
        Assert.Equal("Inspector", updated["nameEn"]!.GetValue<string>());
        Assert.Null(updated["description"]);
        Assert.False(updated["external"]!.GetValue<bool>());

        var roles = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/roles"))!;
        var customerService = roles.Single(r => r!["key"]!.GetValue<string>() == "customer_service")!;
        Assert.Equal(await platform.CountAsync("select count(*) from users where 'customer_service' = any(roles)"), customerService["userCount"]!.GetValue<long>());
        Assert.True(roles.Single(r => r!["key"]!.GetValue<string>() == "admin")!["builtIn"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/roles/{key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/admin/roles/{key}")).StatusCode);
    }

    [Fact]
    public async Task DeleteRole_Returns409SayingWhy_WhenHeldOrBuiltIn()
    {
        using var admin = await platform.ClientForAsync("admin");
        var role = await CreateRoleAsync(admin);
        var userName = Unique("t_holder");
        await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = "持有者", password = Password, roles = new[] { role } }));
        var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/roles"))!.Single(r => r!["key"]!.GetValue<string>() == role)!;
        Assert.Equal(1, listed["userCount"]!.GetValue<int>());

        var held = await ApiAssert.JsonAsync(await admin.DeleteAsync($"/api/admin/roles/{role}"), HttpStatusCode.Conflict);
        Assert.Contains(userName, held["detail"]!.GetValue<string>());
        var builtIn = await ApiAssert.JsonAsync(await admin.DeleteAsync("/api/admin/roles/admin"), HttpStatusCode.Conflict);
        Assert.Contains("built into the platform", builtIn["detail"]!.GetValue<string>());

        await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { roles = Array.Empty<string>() }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/roles/{role}")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/admin/users")]
    [InlineData("POST", "/api/admin/users")]
    [InlineData("PATCH", "/api/admin/users/cs01")]
    [InlineData("POST", "/api/admin/users/cs01/password")]
    [InlineData("GET", "/api/admin/departments")]
    [InlineData("POST", "/api/admin/departments")]
    [InlineData("PATCH", "/api/admin/departments/cs_east")]
    [InlineData("DELETE", "/api/admin/departments/cs_east")]
    [InlineData("GET", "/api/admin/roles")]
    [InlineData("POST", "/api/admin/roles")]
    [InlineData("PATCH", "/api/admin/roles/finance")]
    [InlineData("DELETE", "/api/admin/roles/finance")]
    public async Task OrganisationApi_Returns403ForNonAdmins_And401Anonymous(string method, string path)
    {
        foreach (var user in new[] { "sup01", "analyst" })
        {
            using var client = await platform.ClientForAsync(user);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { active = false, password = "x-secret-99", name = "x" }) });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
        Assert.Equal(1, await platform.CountAsync("select count(*) from departments where key = 'cs_east'"));
    }

    [Fact]
    public async Task DepartmentChange_AppliesToRowScopeImmediately_OnThisNode()
    {
        using var admin = await platform.ClientForAsync("admin");

        // A return request of the south team that a customer service agent can reach only through the department scope.
        var southOnly = await platform.ScalarAsync<Guid>("""
            select r.id from records r
            where r.app_key = 'after_sales' and r.entity_key = 'return_request' and r.owner_department = 'cs_south'
              and not exists (select 1 from flow_instances i join flow_tasks t on t.instance_id = i.id
                              where i.record_id = r.id and t.assignee is null and t.status = 'open' and t.role = 'customer_service')
            order by r.created_at limit 1
            """);
        var userName = Unique("t_agent");
        await CreatedAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName, displayName = "调岗客服", password = Password, roles = new[] { "customer_service" }, department = "cs_east" }));
        try
        {
            using var agent = await platform.ClientForAsync(userName, Password);
            var record = $"/api/apps/after_sales/entities/return_request/records/{southOnly}";
            // The list too, by the record's id (two departments' totals may happen to be equal in the demo data).
            var list = $"/api/apps/after_sales/entities/return_request/records?filter=id:eq:{southOnly}";
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync(record)).StatusCode);
            Assert.Equal(0, (await agent.GetFromJsonAsync<JsonObject>(list))!["total"]!.GetValue<int>());

            await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { department = "cs_south" }), HttpStatusCode.OK);

            Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(record)).StatusCode);
            Assert.Equal(1, (await agent.GetFromJsonAsync<JsonObject>(list))!["total"]!.GetValue<int>());

            await ApiAssert.JsonAsync(await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { department = "cs_east" }), HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync(record)).StatusCode);
        }
        finally
        {
            // Out of the customer service pool again, so other tests' flows never pick this user.
            await admin.PatchAsJsonAsync($"/api/admin/users/{userName}", new { active = false });
        }
    }
}
