using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Core.Printing;

/// <summary>
/// Checks and cleans the HTML a designer wrote for a print template. A small tokenizer (not a tree builder: text such
/// as <c>{{#each items}}</c> between table rows must stay where it was written) rebuilds every tag from an allowlist,
/// re-encoding attribute values, so what comes out is safe by construction whatever went in. Everything it had to drop
/// is reported: scripts and other active or embedding elements, <c>on*</c> attributes, <c>javascript:</c> and other
/// non-http links, images and CSS that load anything but a <c>data:</c> image, and placeholders inside tags (a value
/// is only ever printed as text).
/// </summary>
public static partial class PrintHtmlSanitizer
{
    private static readonly HashSet<string> AllowedTags = new(StringComparer.Ordinal)
    {
        "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span",
        "strong", "style", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "wbr",
    };

    private static readonly HashSet<string> VoidTags = new(StringComparer.Ordinal) { "br", "hr", "img", "col", "wbr" };

    /// <summary>Elements whose content is not markup: dropped with everything up to their end tag.</summary>
    private static readonly HashSet<string> RawTextTags = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext", "template",
    };

    private static readonly HashSet<string> AllowedAttributes = new(StringComparer.Ordinal)
    {
        "class", "id", "style", "title", "lang", "dir", "align", "valign", "width", "height", "colspan", "rowspan", "span",
        "border", "cellpadding", "cellspacing", "alt", "role",
    };

    /// <summary>Sanitizes <paramref name="html"/>: the safe segments and every problem found (none: the HTML was clean).</summary>
    public static (IReadOnlyList<PrintSegment> Segments, IReadOnlyList<PrintTemplateProblem> Problems) Sanitize(string html)
    {
        var segments = new List<PrintSegment>();
        var problems = new List<PrintTemplateProblem>();
        var text = new StringBuilder();
        var textStart = 0;
        var i = 0;

        void FlushText()
        {
            if (text.Length > 0)
            {
                segments.Add(new PrintSegment(true, text.ToString(), textStart));
                text.Clear();
            }
        }

        void Markup(string markup, int at)
        {
            FlushText();
            segments.Add(new PrintSegment(false, markup, at));
        }

        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                if (text.Length == 0)
                {
                    textStart = i;
                }

                text.Append(c == '>' ? "&gt;" : c);
                i++;
                continue;
            }

            var start = i;
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0)
                {
                    problems.Add(new(start, "注释没有结束（缺少 -->）"));
                    i = html.Length;
                }
                else
                {
                    i = end + 3;
                }

                continue;
            }

            var next = i + 1 < html.Length ? html[i + 1] : '\0';
            if (next is '!' or '?')
            {
                problems.Add(new(start, "不允许 <!…> 或 <?…> 声明（DOCTYPE、CDATA 等由打印页面生成）"));
                var close = html.IndexOf('>', i);
                i = close < 0 ? html.Length : close + 1;
                continue;
            }

            if (next == '/' && i + 2 < html.Length && char.IsAsciiLetter(html[i + 2]))
            {
                var nameEnd = i + 2;
                while (nameEnd < html.Length && IsNameChar(html[nameEnd]))
                {
                    nameEnd++;
                }

                var name = html[(i + 2)..nameEnd].ToLowerInvariant();
                var close = html.IndexOf('>', nameEnd);
                i = close < 0 ? html.Length : close + 1;
                if (AllowedTags.Contains(name) && !VoidTags.Contains(name))
                {
                    Markup($"</{name}>", start);
                }
                else if (!AllowedTags.Contains(name))
                {
                    problems.Add(new(start, $"不允许 </{name}> 标签"));
                }

                continue;
            }

            if (!char.IsAsciiLetter(next))
            {
                if (text.Length == 0)
                {
                    textStart = i;
                }

                text.Append("&lt;");
                i++;
                continue;
            }

            if (!TryReadTag(html, ref i, out var tag))
            {
                problems.Add(new(start, "标签没有结束（缺少 >）"));
                continue;
            }

            if (RawTextTags.Contains(tag.Name))
            {
                var contentStart = i;
                var endTag = FindEndTag(html, tag.Name, i);
                var content = html[contentStart..(endTag < 0 ? html.Length : endTag)];
                i = endTag < 0 ? html.Length : Math.Max(endTag + 2, html.IndexOf('>', endTag) + 1);
                if (tag.Name != "style")
                {
                    problems.Add(new(start, tag.Name == "script" ? "不允许 <script> 脚本" : $"不允许 <{tag.Name}> 标签"));
                    continue;
                }

                if (content.Contains("{{", StringComparison.Ordinal))
                {
                    problems.Add(new(contentStart + content.IndexOf("{{", StringComparison.Ordinal), "占位符不能写在 <style> 里"));
                }

                var css = StripCssComments(content);
                if (CheckCss(css) is { } cssProblem)
                {
                    problems.Add(new(contentStart, cssProblem));
                    continue;
                }

                Markup($"<style>{css}</style>", start);
                continue;
            }

            if (!AllowedTags.Contains(tag.Name))
            {
                problems.Add(new(start, $"不允许 <{tag.Name}> 标签（允许排版、表格和 data: 图片）"));
                continue;
            }

            Markup(Rebuild(tag, start, problems), start);
        }

        FlushText();
        return (segments, problems);
    }

    /// <summary>The CSS problem of a style sheet or <c>style</c> attribute, or null when it loads nothing and runs nothing.</summary>
    public static string? CheckCss(string css)
    {
        if (css.Contains('\\', StringComparison.Ordinal))
        {
            return "CSS 中不允许反斜杠转义";
        }

        var lower = StripCssComments(css).ToLowerInvariant();
        foreach (var banned in new[] { "@import", "expression(", "javascript:", "vbscript:", "behavior", "-moz-binding", "image-set(", "image(", "cross-fade(", "element(" })
        {
            if (lower.Contains(banned, StringComparison.Ordinal))
            {
                return $"CSS 中不允许 '{banned}'";
            }
        }

        for (var at = lower.IndexOf("url(", StringComparison.Ordinal); at >= 0; at = lower.IndexOf("url(", at + 4, StringComparison.Ordinal))
        {
            var target = lower[(at + 4)..].TrimStart(' ', '\t', '\r', '\n', '"', '\'');
            if (!DataImage().IsMatch(target))
            {
                return "CSS 只能引用 data: 图片（不允许外部资源）";
            }
        }

        return null;
    }

    private static string Rebuild(Tag tag, int at, List<PrintTemplateProblem> problems)
    {
        var sb = new StringBuilder("<").Append(tag.Name);
        foreach (var (name, raw) in tag.Attributes)
        {
            var value = raw is null ? null : WebUtility.HtmlDecode(raw);
            if (name.Contains("{{", StringComparison.Ordinal) || value?.Contains("{{", StringComparison.Ordinal) == true)
            {
                problems.Add(new(at, "占位符不能写在标签或属性里（值只作为文本输出；{{qr}} 输出整张二维码图片）"));
                continue;
            }

            if (name.StartsWith("on", StringComparison.Ordinal))
            {
                problems.Add(new(at, $"不允许事件属性 '{name}'"));
                continue;
            }

            string? problem = name switch
            {
                "style" => CheckCss(value ?? string.Empty),
                "src" when tag.Name == "img" => DataImage().IsMatch((value ?? string.Empty).Trim()) ? null : "图片只能是 data: 内嵌图片（不允许外部资源）",
                "href" when tag.Name == "a" => CheckHref(value ?? string.Empty),
                _ when AllowedAttributes.Contains(name) || name.StartsWith("data-", StringComparison.Ordinal) || name.StartsWith("aria-", StringComparison.Ordinal) => null,
                _ => $"<{tag.Name}> 不允许属性 '{name}'",
            };
            if (problem is not null)
            {
                problems.Add(new(at, problem));
                continue;
            }

            sb.Append(' ').Append(name);
            if (value is not null)
            {
                sb.Append("=\"").Append(WebUtility.HtmlEncode(name == "style" ? StripCssComments(value) : value)).Append('"');
            }
        }

        return sb.Append('>').ToString();
    }

    private static string? CheckHref(string href)
    {
        var compact = new string(href.Where(ch => !char.IsWhiteSpace(ch) && !char.IsControl(ch)).ToArray()).ToLowerInvariant();
        if (compact.StartsWith("javascript:", StringComparison.Ordinal) || compact.StartsWith("vbscript:", StringComparison.Ordinal))
        {
            return "不允许 javascript: 链接";
        }

        return compact.StartsWith("http://", StringComparison.Ordinal) || compact.StartsWith("https://", StringComparison.Ordinal)
            || compact.StartsWith("mailto:", StringComparison.Ordinal) || compact.StartsWith("tel:", StringComparison.Ordinal) || compact.StartsWith('#')
            ? null
            : "链接只能是 http(s)、mailto、tel 或 # 开头";
    }

    private static bool TryReadTag(string html, ref int i, out Tag tag)
    {
        var p = i + 1;
        var nameStart = p;
        while (p < html.Length && IsNameChar(html[p]))
        {
            p++;
        }

        var name = html[nameStart..p].ToLowerInvariant();
        var attributes = new List<(string, string?)>();
        while (true)
        {
            while (p < html.Length && (char.IsWhiteSpace(html[p]) || html[p] == '/'))
            {
                p++;
            }

            if (p >= html.Length)
            {
                tag = new Tag(name, attributes);
                i = html.Length;
                return false;
            }

            if (html[p] == '>')
            {
                i = p + 1;
                tag = new Tag(name, attributes);
                return true;
            }

            var attrStart = p;
            p++; // the first character belongs to the name, even '=' (as in the HTML tokenizer)
            while (p < html.Length && !char.IsWhiteSpace(html[p]) && html[p] is not ('/' or '>' or '='))
            {
                p++;
            }

            var attrName = html[attrStart..p].ToLowerInvariant();
            while (p < html.Length && char.IsWhiteSpace(html[p]))
            {
                p++;
            }

            string? value = null;
            if (p < html.Length && html[p] == '=')
            {
                p++;
                while (p < html.Length && char.IsWhiteSpace(html[p]))
                {
                    p++;
                }

                if (p < html.Length && html[p] is '"' or '\'')
                {
                    var quote = html[p];
                    var close = html.IndexOf(quote, p + 1);
                    if (close < 0)
                    {
                        tag = new Tag(name, attributes);
                        i = html.Length;
                        return false;
                    }

                    value = html[(p + 1)..close];
                    p = close + 1;
                }
                else
                {
                    var valueStart = p;
                    while (p < html.Length && !char.IsWhiteSpace(html[p]) && html[p] != '>')
                    {
                        p++;
                    }

                    value = html[valueStart..p];
                }
            }

            attributes.Add((attrName, value));
        }
    }

    private static int FindEndTag(string html, string name, int from)
    {
        for (var at = html.IndexOf("</", from, StringComparison.Ordinal); at >= 0; at = html.IndexOf("</", at + 2, StringComparison.Ordinal))
        {
            var after = at + 2 + name.Length;
            if (string.Compare(html, at + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after >= html.Length || !IsNameChar(html[after])))
            {
                return at;
            }
        }

        return -1;
    }

    private static string StripCssComments(string css) => CssComment().Replace(css, " ");

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '_';

    private sealed record Tag(string Name, IReadOnlyList<(string Name, string? Value)> Attributes);

    [GeneratedRegex(@"^data:image/(png|jpeg|jpg|gif|webp);base64,[a-z0-9+/=\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex DataImage();

    [GeneratedRegex(@"/\*.*?(\*/|$)", RegexOptions.Singleline)]
    private static partial Regex CssComment();
}
