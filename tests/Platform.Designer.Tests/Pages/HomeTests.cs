using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Platform.Designer.Pages;
using Platform.Designer.Services;

namespace Platform.Designer.Tests.Pages;

public sealed class HomeTests : BunitContext
{
    private sealed class FakeDirectory(params AppCard[] apps) : IAppDirectory
    {
        public Task<IReadOnlyList<AppCard>> ListAppsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<AppCard>>(apps);
    }

    public HomeTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("cs01");
    }

    [Fact]
    public void Home_ShowsEachAppWithEntitiesAndCounts()
    {
        Services.AddSingleton<IAppDirectory>(new FakeDirectory(new AppCard("after_sales", "售后服务", "After-sales service", "完整售后", 3,
            [new EntityCard("return_request", "退换货申请", 300), new EntityCard("customer", "客户", 1200)])));

        var home = Render<Home>();

        var card = home.Find("[data-testid=app-after_sales]");
        Assert.Contains("售后服务", card.TextContent);
        Assert.Contains("v3", card.TextContent);
        Assert.Contains("退换货申请", card.TextContent);
        Assert.Contains("1,200", card.TextContent);
    }

    [Fact]
    public void Home_InvitesImport_WhenThereAreNoApps()
    {
        Services.AddSingleton<IAppDirectory>(new FakeDirectory());

        var home = Render<Home>();

        Assert.Contains("还没有应用", home.Markup);
    }
}
