using Platform.Core.Printing;

namespace Platform.Core.Tests.Printing;

public sealed class PrintHtmlSanitizerTests
{
    private static (string Html, IReadOnlyList<PrintTemplateProblem> Problems) Clean(string html)
    {
        var (segments, problems) = PrintHtmlSanitizer.Sanitize(html);
        return (string.Concat(segments.Select(s => s.Content)), problems);
    }

    [Fact]
    public void Sanitize_DropsAndReportsScript_WhenTheTemplateHasOne()
    {
        var (html, problems) = Clean("<p>a</p><script>alert(1)</script><SCRIPT src=x></SCRIPT >b");

        Assert.Equal("<p>a</p>b", html);
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("<script>", p.Message));
        Assert.Equal(8, problems[0].Offset);
    }

    [Theory]
    [InlineData("<img src=\"data:image/png;base64,AAAA\" onerror=\"alert(1)\">", "onerror")]
    [InlineData("<div/onclick=alert(1)>x</div>", "onclick")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("<a href=\" jav&#x61;script:alert(1)\">x</a>", "javascript:")]
    [InlineData("<a href=\"data:text/html,hi\">x</a>", "链接")]
    [InlineData("<img src=\"https://evil.example/pixel.png\">", "data:")]
    [InlineData("<img src=\"/api/files/1\">", "data:")]
    [InlineData("<div style=\"background:url(https://evil.example/x.png)\">x</div>", "data:")]
    [InlineData("<div style=\"background:u\\72l(x)\">x</div>", "反斜杠")]
    [InlineData("<style>@import 'https://evil.example/a.css';</style>", "@import")]
    [InlineData("<style>p { background: url( 'http://x' ) }</style>", "data:")]
    [InlineData("<link rel=\"stylesheet\" href=\"https://evil.example/a.css\">", "<link>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe>")]
    [InlineData("<object data=\"x.swf\"></object>", "<object>")]
    [InlineData("<svg><script>alert(1)</script></svg>", "<svg>")]
    [InlineData("<form action=\"https://evil.example\"><input name=a></form>", "<form>")]
    [InlineData("<base href=\"https://evil.example/\">", "<base>")]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">", "<meta>")]
    [InlineData("<td srcset=\"a.png 1x\">", "srcset")]
    public void Sanitize_ReportsTheProblem_WhenTheHtmlRunsOrLoadsSomething(string input, string expected)
    {
        var (html, problems) = Clean(input);

        Assert.Contains(problems, p => p.Message.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" on", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_KeepsLayoutTablesStylesAndDataImages_WhenTheHtmlIsSafe()
    {
        const string Input = "<style>.a { color: #111; background: url(data:image/png;base64,AAAA) }</style>"
            + "<TABLE class=\"grid\" border=1><tr><td colspan=\"2\" style=\"width: 20mm\">x &amp; y</td></tr></TABLE>"
            + "<img src=\"data:image/png;base64,AAAA\" alt=\"logo\"><br/><a href=\"https://example.com/?a=1&amp;b=2\">官网</a>";

        var (html, problems) = Clean(Input);

        Assert.Empty(problems);
        Assert.Equal(
            "<style>.a { color: #111; background: url(data:image/png;base64,AAAA) }</style>"
            + "<table class=\"grid\" border=\"1\"><tr><td colspan=\"2\" style=\"width: 20mm\">x &amp; y</td></tr></table>"
            + "<img src=\"data:image/png;base64,AAAA\" alt=\"logo\"><br><a href=\"https://example.com/?a=1&amp;b=2\">官网</a>",
            html);
    }

    [Fact]
    public void Sanitize_KeepsBlockPlaceholdersBetweenTableRows_WhereTheyWereWritten()
    {
        var (segments, problems) = PrintHtmlSanitizer.Sanitize("<table><tr><th>产品</th></tr>{{#each items}}<tr><td>{{product}}</td></tr>{{/each}}</table>");

        Assert.Empty(problems);
        Assert.Equal(
            ["<table>", "<tr>", "<th>", "产品", "</th>", "</tr>", "{{#each items}}", "<tr>", "<td>", "{{product}}", "</td>", "</tr>", "{{/each}}", "</table>"],
            segments.Select(s => s.Content));
    }

    [Theory]
    [InlineData("<img src=\"{{qr}}\">")]
    [InlineData("<div class=\"{{kind.raw}}\">x</div>")]
    [InlineData("<div {{attrs}}>x</div>")]
    public void Sanitize_ReportsPlaceholders_WhenWrittenInsideATag(string input)
    {
        var (_, problems) = Clean(input);

        Assert.Contains(problems, p => p.Message.Contains("占位符不能写在标签或属性里", StringComparison.Ordinal));
    }

    [Fact]
    public void Sanitize_EncodesStrayAngleBrackets_AndRebuildsAttributesQuoted()
    {
        var (html, problems) = Clean("a < b > c <p title='x\"y'>");

        Assert.Empty(problems);
        Assert.Equal("a &lt; b &gt; c <p title=\"x&quot;y\">", html);
    }
}
