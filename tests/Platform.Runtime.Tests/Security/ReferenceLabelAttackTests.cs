using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Exports;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Security;

/// <summary>
/// Labels of referenced records: qa01 (quality) may read every memo and account, but the account's name is hidden from
/// quality. Wherever a memo's account is shown by its display field — report rows and series, the dashboard-style
/// export, the records CSV export — qa01 must get the placeholder, never the name (nor the id); the supervisor sees it.
/// </summary>
[Collection("platform")]
public sealed class ReferenceLabelAttackTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Withheld = "（无权查看）";

    public Task InitializeAsync() => ScopeLab.EnsureAsync(platform);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReportAndExportLabels_ShowPlaceholder_WhenDisplayFieldIsHiddenFromViewer()
    {
        var account = await ScopeLab.AccountAsync(platform, "sup01");
        using var sup01 = await platform.ClientForAsync("sup01");
        await ApiAssert.JsonAsync(await sup01.PostAsJsonAsync(ScopeLab.Memos, Attack.Body(new JsonObject { ["subject"] = "labelled", ["account"] = account.Id.ToString() })), HttpStatusCode.Created);
        using var qa01 = await platform.ClientForAsync("qa01");

        var report = $"{ScopeLab.Api}/reports/memos_by_account";
        var theirs = await (await qa01.GetAsync($"{report}/data")).Content.ReadAsStringAsync();
        Assert.Contains(Withheld, theirs, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Name, theirs, StringComparison.Ordinal);
        var reportCsv = Encoding.UTF8.GetString(await (await qa01.GetAsync($"{report}/export?format=csv")).Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(account.Name, reportCsv, StringComparison.Ordinal);

        var records = Encoding.UTF8.GetString(await ExportFiles.DownloadAsync(qa01, $"{ScopeLab.Memos}/export?format=csv", "text/csv; charset=utf-8", "备忘.csv"));
        Assert.DoesNotContain(account.Name, records, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Id.ToString(), records, StringComparison.Ordinal);
        Assert.Contains(Withheld, records, StringComparison.Ordinal);

        // Whoever may see the name still sees it.
        Assert.Contains(account.Name, await (await sup01.GetAsync($"{report}/data")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(account.Name, Encoding.UTF8.GetString(await ExportFiles.DownloadAsync(sup01, $"{ScopeLab.Memos}/export?format=csv", "text/csv; charset=utf-8", "备忘.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportOnAHiddenField_Answers422NamingIt_AndShowsNoValue_WhileOthersSeeIt()
    {
        var account = await ScopeLab.AccountAsync(platform, "sup01");
        using var qa01 = await platform.ClientForAsync("qa01");
        using var sup01 = await platform.ClientForAsync("sup01");
        var report = $"{ScopeLab.Api}/reports/accounts_by_name";

        var refused = await qa01.GetAsync($"{report}/data");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("dimensions.name", body, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Name, body, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Name, await (await qa01.GetAsync($"{report}/export?format=csv")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains(account.Name, await (await sup01.GetAsync($"{report}/data")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
