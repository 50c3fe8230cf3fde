using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Platform.Core.Expressions;

/// <summary>
/// The one expression sandbox: Jint in strict mode with no CLR access, string compilation (eval, Function)
/// disabled, no modules, frozen intrinsics and global object, and limits on time, statements, memory and
/// recursion. Each expression is parsed once (cached by source) into a function of its free variables;
/// engines are pooled, so an evaluation only converts the variables it reads. Every failure becomes one
/// <see cref="ExpressionFault"/>; an engine that hit a limit is discarded.
/// </summary>
public sealed class JintExpressionEngine : IExpressionEngine
{
    private const int MaxCachedExpressions = 20_000;

    private readonly ConcurrentDictionary<string, CompiledExpression> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<PooledEngine> pool = [];

    public JintExpressionEngine(ExpressionLimits? limits = null)
    {
        Limits = limits ?? new ExpressionLimits();
    }

    public ExpressionLimits Limits { get; }

    public ExpressionFault? Check(string source) => Compile(source).Fault;

    public IReadOnlySet<string> GetFreeVariables(string source)
    {
        var compiled = Compile(source);
        return compiled.Fault is null ? compiled.Parameters.ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
    }

    public JsonNode? Evaluate(string source, ExpressionScope scope) => Run(source, scope, static v => JsonJs.ToJson(v));

    public bool EvaluateBool(string source, ExpressionScope scope) => Run(source, scope, static v => TypeConverter.ToBoolean(v));

    private T Run<T>(string source, ExpressionScope scope, Func<JsValue, T> convert)
    {
        var compiled = Compile(source);
        if (compiled.Fault is { } fault)
        {
            throw fault;
        }

        if (!pool.TryTake(out var pooled))
        {
            pooled = new PooledEngine(Limits);
        }

        var healthy = true;
        try
        {
            var function = pooled.FunctionFor(compiled);
            var args = new JsValue[compiled.Parameters.Count];
            for (var i = 0; i < args.Length; i++)
            {
                var name = compiled.Parameters[i];
                if (name == "$now")
                {
                    args[i] = new JsString(scope.Now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                }
                else if (name == "$user")
                {
                    args[i] = scope.UserName is null ? JsValue.Null : new JsString(scope.UserName);
                }
                else if (scope.Variables.TryGetValue(name, out var value))
                {
                    args[i] = JsonJs.ToJs(pooled.Engine, value);
                }
                else
                {
                    throw new ExpressionFault(source, ExpressionFaultKind.Runtime, $"'{name}' is not a field or variable here");
                }
            }

            pooled.Now = scope.Now;
            var result = pooled.Engine.Invoke(function, JsValue.Undefined, args);

            // Memory is counted between statements, so one native call ('x'.repeat(1e8)) can hand back a value far over
            // the limit; refuse it here, before it is converted, stored in a record or sent in an answer.
            if (JsonJs.Exceeds(result, Limits.MaxMemoryBytes))
            {
                throw new ExpressionFault(source, ExpressionFaultKind.MemoryLimit, $"returned more than {Limits.MaxMemoryBytes} bytes");
            }

            return convert(result);
        }
        catch (ExpressionFault)
        {
            throw;
        }
        catch (Exception e)
        {
            var mapped = Map(source, e);
            healthy = mapped.Kind is ExpressionFaultKind.Runtime or ExpressionFaultKind.Forbidden;
            throw mapped;
        }
        finally
        {
            if (healthy)
            {
                pool.Add(pooled);
            }
        }
    }

    private CompiledExpression Compile(string source)
    {
        if (cache.TryGetValue(source, out var compiled))
        {
            return compiled;
        }

        if (cache.Count >= MaxCachedExpressions)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(source, s => ExpressionParser.Compile(s, Limits));
    }

    private ExpressionFault Map(string source, Exception e) => e switch
    {
        TimeoutException => new(source, ExpressionFaultKind.Timeout, $"took longer than {Limits.TimeoutMs} ms", e),
        StatementsCountOverflowException => new(source, ExpressionFaultKind.StatementLimit, $"ran more than {Limits.MaxStatements} statements", e),
        MemoryLimitExceededException => new(source, ExpressionFaultKind.MemoryLimit, $"allocated more than {Limits.MaxMemoryBytes} bytes", e),
        RecursionDepthOverflowException => new(source, ExpressionFaultKind.RecursionLimit, $"recursed deeper than {Limits.MaxRecursionDepth} calls", e),
        JavaScriptException js when IsForbidden(js.Message) => new(source, ExpressionFaultKind.Forbidden, js.Message, e),
        JavaScriptException js => new(source, ExpressionFaultKind.Runtime, js.Message, e),
        InvalidOperationException or OutOfMemoryException => new(source, ExpressionFaultKind.MemoryLimit, e.Message, e),
        _ => new(source, ExpressionFaultKind.Runtime, e.Message, e),
    };

    private static bool IsForbidden(string message) =>
        message.Contains("String compilation", StringComparison.OrdinalIgnoreCase)
        || message.Contains("not extensible", StringComparison.OrdinalIgnoreCase)
        || message.Contains("read only", StringComparison.OrdinalIgnoreCase)
        || message.Contains("read-only", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Cannot assign", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Cannot add property", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Cannot redefine", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Cannot delete", StringComparison.OrdinalIgnoreCase);

    /// <summary>One sandboxed engine with its helpers and the functions it has instantiated.</summary>
    private sealed class PooledEngine
    {
        private readonly Dictionary<string, JsValue> functions = new(StringComparer.Ordinal);

        private readonly ArmedTimeConstraint deadline;

        public PooledEngine(ExpressionLimits limits)
        {
            deadline = new ArmedTimeConstraint(TimeSpan.FromMilliseconds(limits.TimeoutMs));
            Engine = new Engine(options => options
                .Strict()
                .DisableStringCompilation()
                .Constraint(deadline)
                .MaxStatements(limits.MaxStatements)
                .LimitMemory(limits.MaxMemoryBytes)
                .LimitRecursion(limits.MaxRecursionDepth));
            Engine.Execute(ExpressionHelpers.Prelude);
            Engine.SetValue("today", new ClrFunction(Engine, "today", (_, _) =>
                new JsString(Now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
            Engine.SetValue("now", new ClrFunction(Engine, "now", (_, _) =>
                new JsString(Now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))));
            Engine.Execute(ExpressionHelpers.Freeze);
            Engine.Evaluate(ExpressionHelpers.WarmUp);
            deadline.Armed = true;
        }

        public Engine Engine { get; }

        public DateTimeOffset Now { get; set; }

        public JsValue FunctionFor(CompiledExpression compiled)
        {
            if (!functions.TryGetValue(compiled.Source, out var function))
            {
                if (functions.Count >= 2_000)
                {
                    functions.Clear();
                }

                function = Engine.Evaluate(compiled.Wrapper!.Value);
                functions[compiled.Source] = function;
            }

            return function;
        }
    }
}
