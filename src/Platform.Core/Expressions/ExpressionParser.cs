using Acornima.Ast;
using Jint;

namespace Platform.Core.Expressions;

/// <summary>Parses an expression alone, refuses anything that is not exactly one expression, and finds its free variables.</summary>
internal static class ExpressionParser
{
    public static CompiledExpression Compile(string source, ExpressionLimits limits)
    {
        if (source.Length > limits.MaxSourceLength)
        {
            return Failed(source, ExpressionFaultKind.Syntax, $"expression longer than {limits.MaxSourceLength} characters");
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            return Failed(source, ExpressionFaultKind.Syntax, "empty expression");
        }

        Script program;
        try
        {
            program = Engine.PrepareScript(source.TrimEnd().TrimEnd(';'), strict: true).Program!;
        }
        catch (Exception e)
        {
            return Failed(source, ExpressionFaultKind.Syntax, e.Message);
        }

        if (program.Body.Count != 1 || program.Body[0] is not ExpressionStatement statement)
        {
            return Failed(source, ExpressionFaultKind.Syntax, "must be a single expression");
        }

        var forbidden = FindForbidden(statement);
        if (forbidden is not null)
        {
            return Failed(source, ExpressionFaultKind.Forbidden, forbidden);
        }

        var parameters = FreeVariables(statement).ToArray();
        var wrapper = $"(function ({string.Join(", ", parameters)}) {{ \"use strict\"; return (\n{source.TrimEnd().TrimEnd(';')}\n); }})";
        try
        {
            return new CompiledExpression(source, Engine.PrepareScript(wrapper, strict: true), parameters, null);
        }
        catch (Exception e)
        {
            return Failed(source, ExpressionFaultKind.Syntax, e.Message);
        }
    }

    public static IEnumerable<string> FreeVariables(Node root)
    {
        var found = new List<string>();
        Walk(root, new HashSet<string>(StringComparer.Ordinal), found);
        return found.Distinct(StringComparer.Ordinal).Where(n => !ExpressionHelpers.GlobalNames.Contains(n));
    }

    private static void Walk(Node? node, HashSet<string> declared, List<string> found)
    {
        switch (node)
        {
            case null:
                return;
            case Identifier id:
                if (!declared.Contains(id.Name))
                {
                    found.Add(id.Name);
                }

                return;
            case MemberExpression member:
                Walk(member.Object, declared, found);
                if (member.Computed)
                {
                    Walk(member.Property, declared, found);
                }

                return;
            case Property property:
                if (property.Computed)
                {
                    Walk(property.Key, declared, found);
                }

                Walk(property.Value, declared, found);
                return;
            case IFunction function:
                var inner = new HashSet<string>(declared, StringComparer.Ordinal);
                if (function.Id is { } name)
                {
                    inner.Add(name.Name);
                }

                foreach (var parameter in function.Params)
                {
                    CollectBindings(parameter, inner);
                }

                CollectDeclarations(function.Body, inner);
                foreach (var parameter in function.Params)
                {
                    WalkDefaults(parameter, inner, found);
                }

                Walk(function.Body, inner, found);
                return;
            case LabeledStatement labeled:
                Walk(labeled.Body, declared, found);
                return;
            case BreakStatement or ContinueStatement:
                return;
            case CatchClause catchClause:
                var scope = new HashSet<string>(declared, StringComparer.Ordinal);
                if (catchClause.Param is { } p)
                {
                    CollectBindings(p, scope);
                }

                Walk(catchClause.Body, scope, found);
                return;
            default:
                foreach (var child in node.ChildNodes)
                {
                    Walk(child, declared, found);
                }

                return;
        }
    }

    private static void WalkDefaults(Node parameter, HashSet<string> declared, List<string> found)
    {
        if (parameter is AssignmentPattern assignment)
        {
            Walk(assignment.Right, declared, found);
        }
    }

    private static void CollectDeclarations(Node node, HashSet<string> declared)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case VariableDeclarator declarator:
                    CollectBindings(declarator.Id, declared);
                    CollectDeclarations(child, declared);
                    break;
                case IFunction:
                    break;
                default:
                    CollectDeclarations(child, declared);
                    break;
            }
        }
    }

    private static void CollectBindings(Node pattern, HashSet<string> declared)
    {
        switch (pattern)
        {
            case Identifier id:
                declared.Add(id.Name);
                break;
            case AssignmentPattern assignment:
                CollectBindings(assignment.Left, declared);
                break;
            case RestElement rest:
                CollectBindings(rest.Argument, declared);
                break;
            case ArrayPattern array:
                foreach (var element in array.Elements)
                {
                    if (element is not null)
                    {
                        CollectBindings(element, declared);
                    }
                }

                break;
            case ObjectPattern obj:
                foreach (var property in obj.Properties)
                {
                    CollectBindings(property is Property p ? p.Value : property, declared);
                }

                break;
        }
    }

    private static string? FindForbidden(Node node)
    {
        switch (node)
        {
            case ImportExpression:
                return "import() is not allowed in expressions";
            case MetaProperty:
                return "import.meta / new.target is not allowed in expressions";
        }

        foreach (var child in node.ChildNodes)
        {
            if (FindForbidden(child) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    private static CompiledExpression Failed(string source, ExpressionFaultKind kind, string reason) =>
        new(source, null, [], new ExpressionFault(source, kind, reason));
}
