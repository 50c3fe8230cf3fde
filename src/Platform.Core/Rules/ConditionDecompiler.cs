using System.Globalization;
using System.Text.Json.Nodes;
using Acornima;
using Acornima.Ast;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules;

/// <summary>
/// Reads an expression back into the condition builder's tree when it has exactly the shape
/// <see cref="ConditionCompiler"/> writes (so a stored <c>visibleWhen</c> or gateway condition opens as a tree again).
/// Anything else, including equivalent expressions typed differently, gives null and stays a raw expression: the
/// tree is only offered when compiling it gives the very same expression back.
/// </summary>
public static class ConditionDecompiler
{
    private static readonly ParserOptions Options = new() { PreserveParens = true };

    public static ConditionNode? TryParse(string? expression, EntityDefinition? entity = null)
    {
        if (string.IsNullOrWhiteSpace(expression) || expression.Length > 20_000)
        {
            return null;
        }

        Expression root;
        try
        {
            root = new Parser(Options).ParseExpression(expression);
        }
        catch (ParseErrorException)
        {
            return null;
        }

        ConditionNode? node;
        try
        {
            node = Read(root, expression);
        }
        catch (FormatException)
        {
            return null;
        }

        if (node is null)
        {
            return null;
        }

        var problems = new List<DefinitionProblem>();
        var again = ConditionCompiler.Compile(node, entity, "$", problems);
        return problems.Count == 0 && Squeeze(again) == Squeeze(expression) ? node : null;
    }

    private static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    // The compiler writes a group as "(" + items joined by && or || + ")", a comparison in parentheses, and the
    // contains/isEmpty calls bare; so a parenthesis holds either one comparison or a group (of one item or a chain).
    private static ConditionNode? Read(Node node, string source)
    {
        switch (node)
        {
            case ParenthesizedExpression { Expression: var inner }:
                if (inner is not (CallExpression or UnaryExpression) && Comparison(inner, source) is { } comparison)
                {
                    return comparison;
                }

                var op = inner is LogicalExpression { Operator: Operator.LogicalAnd or Operator.LogicalOr } logical ? logical.Operator : Operator.LogicalAnd;
                var parts = inner is LogicalExpression chain && chain.Operator == op ? Chain(chain, op).ToList() : [inner];
                var items = new List<ConditionNode>();
                foreach (var part in parts)
                {
                    if (Read(part, source) is not { } item)
                    {
                        return null;
                    }

                    items.Add(item);
                }

                return op == Operator.LogicalAnd ? new ConditionNode { All = items } : new ConditionNode { Any = items };

            case CallExpression or UnaryExpression:
                return Comparison(node, source);
            case BooleanLiteral { Value: true }:
                return new ConditionNode { All = [] };
            case BooleanLiteral { Value: false }:
                return new ConditionNode { Any = [] };
            default:
                return null;
        }
    }

    /// <summary>The operands of a chain a &amp;&amp; b &amp;&amp; c (parenthesised parts are operands of their own).</summary>
    private static IEnumerable<Node> Chain(LogicalExpression logical, Operator op)
    {
        foreach (var side in new Node[] { logical.Left, logical.Right })
        {
            if (side is LogicalExpression same && same.Operator == op)
            {
                foreach (var part in Chain(same, op))
                {
                    yield return part;
                }
            }
            else
            {
                yield return side;
            }
        }
    }

    private static Node Unwrap(Node node) => node is ParenthesizedExpression p ? Unwrap(p.Expression) : node;

    private static ConditionNode? Comparison(Node node, string source)
    {
        switch (node)
        {
            // (f != null && f > v), (f != null && daysBetween(f, today()) <= v), (typeof f === 'string' && f.indexOf(v) === 0)
            case LogicalExpression { Operator: Operator.LogicalAnd, Left: NonLogicalBinaryExpression { Operator: Operator.Inequality, Left: Identifier guarded, Right: NullLiteral }, Right: NonLogicalBinaryExpression right }:
                if (right.Left is Identifier same && same.Name == guarded.Name && Ordering(right.Operator) is { } ordering)
                {
                    return Make(guarded.Name, ordering, right.Right, source);
                }

                if (right.Left is CallExpression { Callee: Identifier { Name: "daysBetween" }, Arguments: [Identifier day, CallExpression { Callee: Identifier { Name: "today" }, Arguments.Count: 0 }] }
                    && day.Name == guarded.Name && right.Operator is Operator.LessThanOrEqual or Operator.GreaterThan)
                {
                    return Make(guarded.Name, right.Operator == Operator.LessThanOrEqual ? "withinDays" : "olderThanDays", right.Right, source);
                }

                return null;

            case LogicalExpression
            {
                Operator: Operator.LogicalAnd,
                Left: NonLogicalBinaryExpression { Operator: Operator.StrictEquality, Left: UnaryExpression { Operator: Operator.TypeOf, Argument: Identifier typed }, Right: StringLiteral { Value: "string" } },
                Right: NonLogicalBinaryExpression { Operator: Operator.StrictEquality, Left: CallExpression { Callee: MemberExpression { Object: Identifier target, Property: Identifier { Name: "indexOf" }, Computed: false }, Arguments: [var prefix] }, Right: NumericLiteral { Value: 0 } },
            } when typed.Name == target.Name:
                return Make(typed.Name, "startsWith", prefix, source);

            case NonLogicalBinaryExpression { Operator: Operator.Equality or Operator.Inequality, Left: Identifier field } binary:
                return Make(field.Name, binary.Operator == Operator.Equality ? "eq" : "ne", binary.Right, source);

            // (v.indexOf(f) >= 0) / (v.indexOf(f) < 0)
            case NonLogicalBinaryExpression { Operator: Operator.GreaterThanOrEqual or Operator.LessThan, Left: CallExpression { Callee: MemberExpression { Property: Identifier { Name: "indexOf" }, Computed: false } member, Arguments: [Identifier member_] }, Right: NumericLiteral { Value: 0 } } list:
                return Make(member_.Name, list.Operator == Operator.GreaterThanOrEqual ? "in" : "notIn", member.Object, source);

            case CallExpression { Callee: Identifier { Name: "contains" }, Arguments: [Identifier field, var value] }:
                return Make(field.Name, "contains", value, source);
            case CallExpression { Callee: Identifier { Name: "isEmpty" }, Arguments: [Identifier field] }:
                return new ConditionNode { Field = field.Name, Op = "empty" };
            case UnaryExpression { Operator: Operator.LogicalNot, Argument: CallExpression { Callee: Identifier { Name: "contains" }, Arguments: [Identifier field, var value] } }:
                return Make(field.Name, "notContains", value, source);
            case UnaryExpression { Operator: Operator.LogicalNot, Argument: CallExpression { Callee: Identifier { Name: "isEmpty" }, Arguments: [Identifier field] } }:
                return new ConditionNode { Field = field.Name, Op = "notEmpty" };
            default:
                return null;
        }
    }

    private static string? Ordering(Operator op) => op switch
    {
        Operator.GreaterThan => "gt",
        Operator.GreaterThanOrEqual => "ge",
        Operator.LessThan => "lt",
        Operator.LessThanOrEqual => "le",
        _ => null,
    };

    private static ConditionNode Make(string field, string op, Node value, string source) =>
        TryLiteral(value, out var literal)
            ? new ConditionNode { Field = field, Op = op, Value = literal }
            : new ConditionNode { Field = field, Op = op, ValueExpression = Text(Unwrap(value), source) };

    private static string Text(Node node, string source) => source[node.Range.Start..node.Range.End];

    private static bool TryLiteral(Node node, out JsonNode? value)
    {
        switch (node)
        {
            case StringLiteral s:
                value = JsonValue.Create(s.Value);
                return true;
            case NumericLiteral n:
                value = n.Value == Math.Floor(n.Value) && Math.Abs(n.Value) < 1e15 ? JsonValue.Create((long)n.Value) : JsonValue.Create(decimal.Parse(n.Raw, CultureInfo.InvariantCulture));
                return true;
            case UnaryExpression { Operator: Operator.UnaryNegation, Argument: NumericLiteral negative }:
                value = negative.Value == Math.Floor(negative.Value) && negative.Value < 1e15 ? JsonValue.Create(-(long)negative.Value) : JsonValue.Create(-decimal.Parse(negative.Raw, CultureInfo.InvariantCulture));
                return true;
            case BooleanLiteral b:
                value = JsonValue.Create(b.Value);
                return true;
            case NullLiteral:
                value = null;
                return true;
            case ArrayExpression array:
                var items = new JsonArray();
                foreach (var element in array.Elements)
                {
                    if (element is null || !TryLiteral(element, out var item))
                    {
                        value = null;
                        return false;
                    }

                    items.Add(item);
                }

                value = items;
                return true;
            default:
                value = null;
                return false;
        }
    }
}
