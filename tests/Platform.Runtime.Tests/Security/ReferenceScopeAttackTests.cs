using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// References and lookups that name a record outside the caller's read scope: cs01 (cs_east, accounts by department) points
/// a memo at an account of cs02's department by id and by code. Each must be refused exactly like a missing id or code,
/// naming the field, and write nothing — so no lookup copies the other department's data into a record cs01 can read.
/// </summary>
[Collection("platform")]
public sealed class ReferenceScopeAttackTests(PlatformFixture platform) : IAsyncLifetime
{
    public Task InitializeAsync() => ScopeLab.EnsureAsync(platform);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateWithForeignReferenceOrLookup_Answers422LikeAMissingOne_AndWritesNothing()
    {
        var foreign = await ScopeLab.AccountAsync(platform, "cs02");
        using var cs01 = await platform.ClientForAsync("cs01");
        var memos = await platform.CountAsync("select count(*) from records where app_key = 'scope_lab' and entity_key = 'memo'");

        var byId = await cs01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "x", ["account"] = foreign.Id.ToString() }));
        var missingId = Guid.CreateVersion7().ToString();
        var byMissingId = await cs01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "x", ["account"] = missingId }));
        Assert.Equal(["account"], await ApiAssert.InvalidFieldsAsync(byId));
        Assert.Equal(await Attack.RefusalAsync(byMissingId, missingId), await Attack.RefusalAsync(byId, foreign.Id.ToString()));

        var byCode = await cs01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "x", ["account_code"] = foreign.Code }));
        var missingCode = "AC-" + Guid.NewGuid().ToString("N")[..10];
        var byMissingCode = await cs01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "x", ["account_code"] = missingCode }));
        Assert.Equal(["account_code"], await ApiAssert.InvalidFieldsAsync(byCode));
        Assert.Equal(await Attack.RefusalAsync(byMissingCode, missingCode), await Attack.RefusalAsync(byCode, foreign.Code));

        Assert.Equal(memos, await platform.CountAsync("select count(*) from records where app_key = 'scope_lab' and entity_key = 'memo'"));
        Assert.Equal(0, await platform.CountAsync("select count(*) from records where app_key = 'scope_lab' and entity_key = 'memo' and data->>'account_name' = $1", foreign.Name));
    }

    [Fact]
    public async Task UpdateToForeignReference_Answers422_AndChangesNothing_WhileOwnAndWiderScopesStillWork()
    {
        var foreign = await ScopeLab.AccountAsync(platform, "cs02");
        var own = await ScopeLab.AccountAsync(platform, "cs01");
        using var cs01 = await platform.ClientForAsync("cs01");

        // Within scope: the reference is taken and the lookup fills the name.
        var memo = await ApiAssert.JsonAsync(
            await cs01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "mine", ["account"] = own.Id.ToString(), ["account_code"] = own.Code })),
            HttpStatusCode.Created);
        Assert.Equal(own.Name, memo["data"]!["account_name"]!.GetValue<string>());
        var id = Guid.Parse(memo["id"]!.GetValue<string>());
        var before = await Attack.RowAsync(platform, id);

        var url = $"{ScopeLab.Memos}/{id}";
        var byId = await Attack.SendAsync(cs01, HttpMethod.Patch, url, Attack.Body(new JsonObject { ["account"] = foreign.Id.ToString() }), memo["version"]!.ToString());
        Assert.Equal(["account"], await ApiAssert.InvalidFieldsAsync(byId));
        var byCode = await Attack.SendAsync(cs01, HttpMethod.Patch, url, Attack.Body(new JsonObject { ["account_code"] = foreign.Code }), memo["version"]!.ToString());
        Assert.Equal(["account_code"], await ApiAssert.InvalidFieldsAsync(byCode));
        Assert.Equal(before, await Attack.RowAsync(platform, id));

        // The supervisor reads every account: the same references are fine for them, and cs01 may still save that memo
        // (it now links to an account cs01 cannot read) without touching the link.
        using var sup01 = await platform.ClientForAsync("sup01");
        var linked = await ApiAssert.JsonAsync(
            await sup01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "theirs", ["account"] = foreign.Id.ToString(), ["account_code"] = foreign.Code })),
            HttpStatusCode.Created);
        var resaved = await Attack.SendAsync(
            cs01, HttpMethod.Patch, $"{ScopeLab.Memos}/{linked["id"]}",
            Attack.Body(new JsonObject { ["subject"] = "renamed", ["account"] = foreign.Id.ToString(), ["account_code"] = foreign.Code }), linked["version"]!.ToString());
        await ApiAssert.JsonAsync(resaved, HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReferenceSearchAndImport_FindNothingOfAnotherDepartment()
    {
        var foreign = await ScopeLab.AccountAsync(platform, "cs02");
        using var cs01 = await platform.ClientForAsync("cs01");

        // The records list is what the form's reference picker searches (same compiler, same scope).
        var (ids, _) = await Attack.AllPagesAsync(cs01, $"{ScopeLab.Accounts}?filter=code:eq:{foreign.Code}");
        Assert.Empty(ids);

        // A CSV import (dry run) resolves references under the same rule.
        using var content = new MultipartFormDataContent();
        var csv = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"主题,账户代码\nimported,{foreign.Code}\n"));
        csv.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(csv, "file", "memos.csv");
        var report = await ApiAssert.JsonAsync(await cs01.PostAsync($"{ScopeLab.Api}/entities/memo/import?dryRun=true", content), HttpStatusCode.OK);
        Assert.Equal(0, report["imported"]!.GetValue<int>());
        Assert.Equal(1, report["failed"]!.GetValue<int>());
    }
}
