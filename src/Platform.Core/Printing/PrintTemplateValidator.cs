using System.Text.RegularExpressions;
using Platform.Core.Metadata;

namespace Platform.Core.Printing;

/// <summary>
/// Checks an app's print templates at <c>$.printTemplates[i]</c>: keys, entity, label, paper, and the HTML (unsafe
/// markup and unknown placeholders, each at <c>.html</c> with its line and column).
/// </summary>
public static partial class PrintTemplateValidator
{
    /// <summary>Longest template HTML accepted (a template is a page, not a document store).</summary>
    public const int MaxHtmlLength = 200_000;

    public static IReadOnlyList<DefinitionProblem> Validate(AppDefinition app)
    {
        var problems = new List<DefinitionProblem>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < app.PrintTemplates.Count; i++)
        {
            var template = app.PrintTemplates[i];
            var path = $"$.printTemplates[{i}]";
            if (!Key().IsMatch(template.Key ?? string.Empty))
            {
                problems.Add(new($"{path}.key", $"打印模板标识 '{template.Key}' 无效：须为小写字母开头的 snake_case"));
            }
            else if (!keys.Add(template.Key!))
            {
                problems.Add(new($"{path}.key", $"打印模板标识 '{template.Key}' 重复"));
            }

            if (string.IsNullOrWhiteSpace(template.Label))
            {
                problems.Add(new($"{path}.label", "打印模板名称不能为空"));
            }

            if (!PrintPapers.All.Contains(template.Paper ?? string.Empty))
            {
                problems.Add(new($"{path}.paper", $"纸张 '{template.Paper}' 无效（可用：{string.Join("、", PrintPapers.All)}）"));
            }

            if (app.FindEntity(template.Entity ?? string.Empty) is null)
            {
                problems.Add(new($"{path}.entity", $"打印模板引用了不存在的实体 '{template.Entity}'"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(template.Html))
            {
                problems.Add(new($"{path}.html", "打印模板内容不能为空"));
                continue;
            }

            if (template.Html.Length > MaxHtmlLength)
            {
                problems.Add(new($"{path}.html", $"打印模板内容过长（最多 {MaxHtmlLength} 个字符）"));
                continue;
            }

            var (_, found) = PrintTemplateCompiler.Compile(app, template);
            problems.AddRange(found.Select(p => new DefinitionProblem($"{path}.html", p.Describe(template.Html))));
        }

        return problems;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Key();
}
