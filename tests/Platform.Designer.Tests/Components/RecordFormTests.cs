using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Designer.Components;
using Platform.Designer.Services;
using Platform.Designer.Tests.Components.Forms;

namespace Platform.Designer.Tests.Components;

/// <summary>RecordForm rendered without a browser: the designer's preview, the public subset, and read-only values.</summary>
public sealed class RecordFormTests : BunitContext, IAsyncLifetime
{
    private sealed class NoLookups : IRecordLookups
    {
        public Task<IReadOnlyList<JsonObject?>> FindAsync(string app, IReadOnlyList<LookupRequest> requests, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<JsonObject?>>(requests.Select(_ => (JsonObject?)null).ToList());

        public Task<IReadOnlyList<RecordOption>> SearchAsync(string app, string entity, string displayField, string? text, int limit, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<RecordOption>>([]);

        public Task<IReadOnlyList<UserOption>> SearchUsersAsync(string? text, int limit, CancellationToken ct) => Task.FromResult<IReadOnlyList<UserOption>>([]);
    }

    private sealed class NoUploads : IFileUploads
    {
        public IReadOnlyCollection<string> AllowedExtensions => ["png"];

        public Task<FileUploadResult> UploadAsync(string app, string entity, string fieldPath, string fileName, Stream content, CancellationToken ct) =>
            Task.FromResult(new FileUploadResult(null, "no"));

        public Task<FileUploadResult> UploadPublicAsync(string token, string fieldPath, string fileName, Stream content, CancellationToken ct) =>
            Task.FromResult(new FileUploadResult(null, "no"));

        public Task<IReadOnlyList<UploadedFileView>> DescribeAsync(IReadOnlyCollection<string> ids, string? publicToken, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<UploadedFileView>>([]);
    }

    public RecordFormTests()
    {
        Services.AddMudServices();
        Services.AddSingleton(new RecordValidator(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine()));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IRecordLookups, NoLookups>();
        Services.AddSingleton<IFileUploads, NoUploads>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("analyst");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services only dispose asynchronously.</summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public void Preview_DrawsTheLayoutWithoutASaveButton()
    {
        var form = Render<RecordForm>(p => p
            .Add(f => f.App, SampleApp.Definition)
            .Add(f => f.Entity, SampleApp.Entity("return_request"))
            .Add(f => f.Preview, true));

        Assert.Empty(form.FindAll("[data-testid=form-submit]"));
        Assert.Equal(3, form.FindAll(".rf-section").Count);
        Assert.Contains("订单信息", form.Markup);
        Assert.Equal("true", form.Find("[data-testid=field-phone]").GetAttribute("data-required"));
        Assert.Empty(form.FindAll("[data-testid=field-description]"));
        Assert.Empty(form.FindAll("[data-testid=field-status]"));
        Assert.Contains("保存后自动生成", form.Find("[data-testid=value-request_no]").TextContent);
    }

    [Fact]
    public void Public_ShowsOnlyTheFormsFields_InOneColumn()
    {
        var publicForm = SampleApp.Definition.PublicForms.Single(f => f.Key == "return_form");
        var form = Render<RecordForm>(p => p
            .Add(f => f.App, SampleApp.Definition)
            .Add(f => f.Entity, SampleApp.Entity("return_request"))
            .Add(f => f.Fields, publicForm.Fields)
            .Add(f => f.Public, true));

        var shown = form.FindAll("[data-testid^=field-]").Select(e => e.GetAttribute("data-testid")!["field-".Length..]).ToHashSet();
        Assert.Subset(publicForm.Fields.ToHashSet(), shown);
        Assert.DoesNotContain("purchased_at", shown);
        Assert.DoesNotContain("request_no", shown);
        Assert.All(form.FindAll(".rf-grid"), g => Assert.Contains("--rf-cols:1", g.GetAttribute("style")));
        Assert.Single(form.FindAll("[data-testid=form-submit]"));
    }

    [Fact]
    public void Edit_ShowsSystemAndComputedValuesAsText()
    {
        var existing = new JsonObject { ["request_no"] = "RT202612010007", ["status"] = "approved", ["quantity"] = 2, ["unit_price"] = 99.5, ["amount"] = 199 };
        var form = Render<RecordForm>(p => p
            .Add(f => f.App, SampleApp.Definition)
            .Add(f => f.Entity, SampleApp.Entity("return_request"))
            .Add(f => f.Existing, existing));

        Assert.Equal("RT202612010007", form.Find("[data-testid=value-request_no]").TextContent);
        Assert.Equal("已通过", form.Find("[data-testid=value-status]").TextContent);
        Assert.Equal("¥99.50", form.Find("[data-testid=value-unit_price]").TextContent);
    }
}
