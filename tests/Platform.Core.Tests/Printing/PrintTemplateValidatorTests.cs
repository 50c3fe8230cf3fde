using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Core.Printing;

namespace Platform.Core.Tests.Printing;

public sealed class PrintTemplateValidatorTests
{
    private static readonly DefinitionValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());

    private static IReadOnlyList<DefinitionProblem> Validate(params PrintTemplateDefinition[] templates) =>
        Validator.Validate(SampleApp.Definition with { PrintTemplates = [.. SampleApp.Definition.PrintTemplates, .. templates] });

    private static PrintTemplateDefinition Template(string html, string entity = "return_request", string key = "extra") =>
        new() { Key = key, Entity = entity, Label = "测试", Html = html };

    private static string At(int index) => $"$.printTemplates[{SampleApp.Definition.PrintTemplates.Count + index}]";

    [Fact]
    public void Validate_ReportsNothing_ForTheAfterSalesPrintTemplates()
    {
        Assert.Equal(["return_slip", "work_order"], SampleApp.Definition.PrintTemplates.Select(t => t.Key));
        Assert.Empty(PrintTemplateValidator.Validate(SampleApp.Definition));
        foreach (var template in SampleApp.Definition.PrintTemplates)
        {
            var (compiled, problems) = PrintTemplateCompiler.Compile(SampleApp.Definition, template);
            Assert.Empty(problems);
            Assert.NotNull(compiled);
        }
    }

    [Fact]
    public void Validate_NamesThePathLineAndColumn_WhenAPlaceholderIsUnknown()
    {
        var problem = Assert.Single(Validate(Template("<p>单号 {{request_no}}</p>\n<p>{{colour}}</p>")));

        Assert.Equal($"{At(0)}.html", problem.Path);
        Assert.Contains("第 2 行第 4 列", problem.Message);
        Assert.Contains("colour", problem.Message);
    }

    [Fact]
    public void Validate_ReportsUnsafeHtml_AtTheHtmlPath()
    {
        var problems = Validate(Template("<p onclick=\"steal()\">{{request_no}}</p><script>alert(1)</script>"));

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal($"{At(0)}.html", p.Path));
        Assert.Contains(problems, p => p.Message.Contains("onclick", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("<script>", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsKeyEntityLabelAndPaper_WhenInvalid()
    {
        var problems = Validate(
            new PrintTemplateDefinition { Key = "return_slip", Entity = "return_request", Label = " ", Paper = "letter", Html = "x" },
            new PrintTemplateDefinition { Key = "Bad-Key", Entity = "spaceship", Label = "x", Html = "x" },
            Template(" ", key: "empty"));

        Assert.Contains(problems, p => p.Path == $"{At(0)}.key" && p.Message.Contains("重复"));
        Assert.Contains(problems, p => p.Path == $"{At(0)}.label");
        Assert.Contains(problems, p => p.Path == $"{At(0)}.paper" && p.Message.Contains("letter"));
        Assert.Contains(problems, p => p.Path == $"{At(1)}.key");
        Assert.Contains(problems, p => p.Path == $"{At(1)}.entity" && p.Message.Contains("spaceship"));
        Assert.Contains(problems, p => p.Path == $"{At(2)}.html" && p.Message.Contains("不能为空"));
    }

    [Theory]
    [InlineData("{{#each status}}x{{/each}}", "子表")]
    [InlineData("{{#each items}}x", "没有对应")]
    [InlineData("{{/each}}", "多余")]
    [InlineData("{{#related part_usage.part}}x{{/related}}", "没有引用 'return_request'")]
    [InlineData("{{#related nothing.here}}x{{/related}}", "没有实体 'nothing'")]
    [InlineData("{{#related part_usage}}x{{/related}}", "实体.引用字段")]
    [InlineData("{{_index}}", "_index")]
    [InlineData("{{_secret}}", "未知的系统占位符")]
    [InlineData("{{qr:nothing}}", "没有字段 'nothing'")]
    [InlineData("{{ request_no", "没有结束")]
    [InlineData("{{request_no | upper}}", "无法识别")]
    [InlineData("<style>p { color: {{kind}} }</style>", "<style>")]
    public void Validate_ReportsThePlaceholderProblem_WhenABlockOrNameIsWrong(string html, string expected)
    {
        var problems = Validate(Template(html));

        Assert.Contains(problems, p => p.Path == $"{At(0)}.html" && p.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsTheQrCode_WhenTheEntityHasNoTrackingNumber()
    {
        var problem = Assert.Single(Validate(Template("{{qr}} {{qr:record}} {{qr:name}}", entity: "customer")));

        Assert.Contains("trackingField", problem.Message);
    }

    [Fact]
    public void Validate_AcceptsRelatedRecordsSubTablesAndHistory_WhenTheyResolve()
    {
        Assert.Empty(Validate(
            Template("{{#related part_usage.service_request}}{{_index}} {{part}} {{quantity.raw}} {{ticket_no}}{{/related}}{{#each _history}}{{at}} {{step}} {{comment}}{{/each}}", "service_request"),
            Template("{{#each items}}{{_index}} {{product}} {{order_no}}{{/each}} {{_id}} {{_now}} {{_app}} {{_status}} {{_step}}", "sales_order", "order_sheet")));
    }
}
