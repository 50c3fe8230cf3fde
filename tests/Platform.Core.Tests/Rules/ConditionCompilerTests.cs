using System.Diagnostics;
using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Definitions;
using static Platform.Core.Tests.Rules.RuleTestKit;

namespace Platform.Core.Tests.Rules;

public sealed class ConditionCompilerTests
{
    /// <summary>Compiles the node against the entity (throwing on problems) and evaluates it through Jint over the record.</summary>
    private static bool Evaluate(ConditionNode node, string entityKey, JsonObject record)
    {
        var entity = SampleApp.Entity(entityKey);
        var source = ConditionCompiler.Compile(node, entity);
        var variables = entity.Fields.ToDictionary(f => f.Key, f => record.TryGetPropertyValue(f.Key, out var v) ? v?.DeepClone() : null);
        return ExpressionEngine.EvaluateBool(source, new ExpressionScope(variables, Now));
    }

    private static bool Evaluate(string condition, string entityKey, string record) => Evaluate(Condition(condition), entityKey, Record(record));

    private static List<DefinitionProblem> Problems(string condition, string entityKey = "return_request")
    {
        var problems = new List<DefinitionProblem>();
        ConditionCompiler.Compile(Condition(condition), SampleApp.Entity(entityKey), "$.rules[0].when", problems);
        return problems;
    }

    [Fact]
    public void Operators_ListsExactlyTheBuilderOperators_WhenRead() =>
        Assert.Equal(
            ["eq", "ne", "gt", "ge", "lt", "le", "contains", "notContains", "in", "notIn", "empty", "notEmpty", "startsWith", "withinDays", "olderThanDays"],
            ConditionCompiler.Operators);

    [Theory]
    // eq / ne with numbers and strings
    [InlineData("""{ "field": "quantity", "op": "eq", "value": 3 }""", """{ "quantity": 3 }""", true)]
    [InlineData("""{ "field": "quantity", "op": "eq", "value": 3 }""", """{ "quantity": 4 }""", false)]
    [InlineData("""{ "field": "unit_price", "op": "eq", "value": 2.5 }""", """{ "unit_price": 2.5 }""", true)]
    [InlineData("""{ "field": "reason", "op": "eq", "value": "no_reason" }""", """{ "reason": "no_reason" }""", true)]
    [InlineData("""{ "field": "reason", "op": "eq", "value": "no_reason" }""", """{ "reason": "quality" }""", false)]
    [InlineData("""{ "field": "reason", "op": "eq", "value": "no_reason" }""", """{ "reason": null }""", false)]
    [InlineData("""{ "field": "quantity", "op": "ne", "value": 3 }""", """{ "quantity": 3 }""", false)]
    [InlineData("""{ "field": "quantity", "op": "ne", "value": 3 }""", """{ "quantity": 5 }""", true)]
    [InlineData("""{ "field": "reason", "op": "ne", "value": "no_reason" }""", """{ "reason": "quality" }""", true)]
    [InlineData("""{ "field": "reason", "op": "ne", "value": "no_reason" }""", """{ "reason": "no_reason" }""", false)]
    [InlineData("""{ "field": "reason", "value": "quality" }""", """{ "reason": "quality" }""", true)]
    // gt / ge / lt / le, and never true for null (JavaScript would treat null as 0)
    [InlineData("""{ "field": "quantity", "op": "gt", "value": 2 }""", """{ "quantity": 3 }""", true)]
    [InlineData("""{ "field": "quantity", "op": "gt", "value": 3 }""", """{ "quantity": 3 }""", false)]
    [InlineData("""{ "field": "quantity", "op": "gt", "value": -1 }""", """{ "quantity": null }""", false)]
    [InlineData("""{ "field": "quantity", "op": "ge", "value": 3 }""", """{ "quantity": 3 }""", true)]
    [InlineData("""{ "field": "quantity", "op": "ge", "value": 4 }""", """{ "quantity": 3 }""", false)]
    [InlineData("""{ "field": "quantity", "op": "ge", "value": 0 }""", """{ "quantity": null }""", false)]
    [InlineData("""{ "field": "quantity", "op": "lt", "value": 5 }""", """{ "quantity": 3 }""", true)]
    [InlineData("""{ "field": "quantity", "op": "lt", "value": 3 }""", """{ "quantity": 3 }""", false)]
    [InlineData("""{ "field": "quantity", "op": "lt", "value": 5 }""", """{ "quantity": null }""", false)]
    [InlineData("""{ "field": "quantity", "op": "lt", "value": 5 }""", """{ }""", false)]
    [InlineData("""{ "field": "quantity", "op": "le", "value": 3 }""", """{ "quantity": 3 }""", true)]
    [InlineData("""{ "field": "quantity", "op": "le", "value": 2 }""", """{ "quantity": 3 }""", false)]
    [InlineData("""{ "field": "quantity", "op": "le", "value": 0 }""", """{ "quantity": null }""", false)]
    // contains / notContains on a string (non-ASCII values survive the literal encoding)
    [InlineData("""{ "field": "customer_name", "op": "contains", "value": "张" }""", """{ "customer_name": "张三" }""", true)]
    [InlineData("""{ "field": "customer_name", "op": "contains", "value": "张" }""", """{ "customer_name": "李四" }""", false)]
    [InlineData("""{ "field": "customer_name", "op": "contains", "value": "张" }""", """{ "customer_name": null }""", false)]
    [InlineData("""{ "field": "customer_name", "op": "notContains", "value": "张" }""", """{ "customer_name": "李四" }""", true)]
    [InlineData("""{ "field": "customer_name", "op": "notContains", "value": "张" }""", """{ "customer_name": "张三" }""", false)]
    // in / notIn
    [InlineData("""{ "field": "reason", "op": "in", "value": ["quality", "damaged"] }""", """{ "reason": "damaged" }""", true)]
    [InlineData("""{ "field": "reason", "op": "in", "value": ["quality", "damaged"] }""", """{ "reason": "other" }""", false)]
    [InlineData("""{ "field": "reason", "op": "in", "value": ["quality", "damaged"] }""", """{ "reason": null }""", false)]
    [InlineData("""{ "field": "quantity", "op": "in", "value": [1, 2, 3] }""", """{ "quantity": 2 }""", true)]
    [InlineData("""{ "field": "reason", "op": "notIn", "value": ["quality", "damaged"] }""", """{ "reason": "other" }""", true)]
    [InlineData("""{ "field": "reason", "op": "notIn", "value": ["quality", "damaged"] }""", """{ "reason": "quality" }""", false)]
    // empty / notEmpty
    [InlineData("""{ "field": "description", "op": "empty" }""", """{ "description": "" }""", true)]
    [InlineData("""{ "field": "description", "op": "empty" }""", """{ "description": null }""", true)]
    [InlineData("""{ "field": "description", "op": "empty" }""", """{ }""", true)]
    [InlineData("""{ "field": "description", "op": "empty" }""", """{ "description": "坏了" }""", false)]
    [InlineData("""{ "field": "description", "op": "notEmpty" }""", """{ "description": "坏了" }""", true)]
    [InlineData("""{ "field": "description", "op": "notEmpty" }""", """{ "description": "" }""", false)]
    // startsWith
    [InlineData("""{ "field": "request_no", "op": "startsWith", "value": "RT-" }""", """{ "request_no": "RT-2026-0001" }""", true)]
    [InlineData("""{ "field": "request_no", "op": "startsWith", "value": "RT-" }""", """{ "request_no": "XRT-2026-0001" }""", false)]
    [InlineData("""{ "field": "request_no", "op": "startsWith", "value": "RT-" }""", """{ "request_no": null }""", false)]
    public void Compile_EvaluatesOperatorCorrectly_WhenRunThroughJint(string condition, string record, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "return_request", record));

    [Theory]
    [InlineData("""{ "field": "skills", "op": "contains", "value": "kitchen" }""", """{ "skills": ["kitchen", "laundry"] }""", true)]
    [InlineData("""{ "field": "skills", "op": "contains", "value": "kitchen" }""", """{ "skills": ["laundry"] }""", false)]
    [InlineData("""{ "field": "skills", "op": "contains", "value": "kitch" }""", """{ "skills": ["kitchen"] }""", false)]
    [InlineData("""{ "field": "skills", "op": "contains", "value": "kitchen" }""", """{ "skills": [] }""", false)]
    [InlineData("""{ "field": "skills", "op": "notContains", "value": "kitchen" }""", """{ "skills": ["laundry"] }""", true)]
    [InlineData("""{ "field": "skills", "op": "empty" }""", """{ "skills": [] }""", true)]
    [InlineData("""{ "field": "skills", "op": "notEmpty" }""", """{ "skills": ["installation"] }""", true)]
    [InlineData("""{ "field": "active", "op": "eq", "value": true }""", """{ "active": true }""", true)]
    [InlineData("""{ "field": "active", "op": "eq", "value": true }""", """{ "active": false }""", false)]
    public void Compile_EvaluatesOperatorCorrectly_WhenFieldIsMultiSelectOrBoolean(string condition, string record, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "engineer", record));

    [Theory]
    // Now is 2026-12-01 02:30 China time (2026-11-30 in UTC): days are China days.
    [InlineData("withinDays", 7, 0, true)]
    [InlineData("withinDays", 7, 7, true)]
    [InlineData("withinDays", 7, 8, false)]
    [InlineData("withinDays", 0, 0, true)]
    [InlineData("withinDays", 0, 1, false)]
    [InlineData("olderThanDays", 7, 8, true)]
    [InlineData("olderThanDays", 7, 7, false)]
    [InlineData("olderThanDays", 30, 2, false)]
    public void Compile_CountsDaysInChinaTime_WhenOpIsWithinOrOlderThanDays(string op, int days, int purchasedDaysAgo, bool expected)
    {
        var node = new ConditionNode { Field = "purchased_at", Op = op, Value = JsonNode.Parse(days.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        Assert.Equal(expected, Evaluate(node, "return_request", new JsonObject { ["purchased_at"] = DaysAgo(purchasedDaysAgo) }));
    }

    [Theory]
    [InlineData("withinDays")]
    [InlineData("olderThanDays")]
    public void Compile_IsFalse_WhenDateIsNullForDayOperators(string op) =>
        Assert.False(Evaluate($$"""{ "field": "purchased_at", "op": "{{op}}", "value": 7 }""", "return_request", """{ "purchased_at": null }"""));

    [Fact]
    public void Compile_EmitsNumberLiteral_WhenValueIsBuiltInCode()
    {
        var node = new ConditionNode { Field = "quantity", Op = "ge", Value = 3 };
        Assert.True(Evaluate(node, "return_request", new JsonObject { ["quantity"] = 3 }));
        Assert.False(Evaluate(node, "return_request", new JsonObject { ["quantity"] = 2 }));
        Assert.True(Evaluate(new ConditionNode { Field = "unit_price", Op = "lt", Value = 9.5m }, "return_request", new JsonObject { ["unit_price"] = 9.25 }));
    }

    [Fact]
    public void Compile_ComparesWithAnotherField_WhenValueExpressionIsGiven()
    {
        var node = Condition("""{ "field": "quantity", "op": "gt", "valueExpression": "purchased_qty" }""");
        Assert.True(Evaluate(node, "return_request", Record("""{ "quantity": 3, "purchased_qty": 2 }""")));
        Assert.False(Evaluate(node, "return_request", Record("""{ "quantity": 2, "purchased_qty": 2 }""")));
    }

    [Theory]
    [InlineData("""{ "reason": "no_reason", "quantity": 1, "kind": "exchange" }""", true)]
    [InlineData("""{ "reason": "no_reason", "quantity": 5, "kind": "exchange" }""", false)]
    [InlineData("""{ "reason": "quality", "quantity": 1, "kind": "exchange" }""", false)]
    [InlineData("""{ "reason": "quality", "quantity": 9, "kind": "return" }""", true)]
    [InlineData("""{ "reason": "damaged", "quantity": 1, "kind": "return" }""", true)]
    [InlineData("""{ "reason": "other", "quantity": 1, "kind": "return" }""", false)]
    public void Compile_CombinesNestedAllAndAnyGroups_WhenEvaluated(string record, bool expected)
    {
        const string condition = """
            { "any": [
                { "all": [ { "field": "reason", "op": "eq", "value": "no_reason" }, { "field": "quantity", "op": "le", "value": 2 } ] },
                { "all": [ { "field": "kind", "op": "eq", "value": "return" },
                           { "any": [ { "field": "reason", "op": "eq", "value": "quality" }, { "field": "reason", "op": "eq", "value": "damaged" } ] } ] } ] }
            """;
        Assert.Equal(expected, Evaluate(condition, "return_request", record));
    }

    [Fact]
    public void Compile_YieldsTrueForEmptyAllAndFalseForEmptyAny_WhenGroupHasNoItems()
    {
        Assert.True(Evaluate("""{ "all": [] }""", "return_request", "{}"));
        Assert.False(Evaluate("""{ "any": [] }""", "return_request", "{}"));
    }

    [Fact]
    public void Compile_ReportsProblemAtFieldPath_WhenFieldIsUnknown()
    {
        var problem = Assert.Single(Problems("""{ "all": [ { "field": "reason", "op": "eq", "value": "x" }, { "field": "colour", "op": "eq", "value": "red" } ] }"""));
        Assert.Equal("$.rules[0].when.all[1].field", problem.Path);
        Assert.Contains("colour", problem.Message);
    }

    [Fact]
    public void Compile_ReportsProblemAtOpPath_WhenOperatorIsUnknown()
    {
        var problem = Assert.Single(Problems("""{ "any": [ { "field": "reason", "op": "like", "value": "x" } ] }"""));
        Assert.Equal("$.rules[0].when.any[0].op", problem.Path);
        Assert.Contains("like", problem.Message);
    }

    [Theory]
    [InlineData("in")]
    [InlineData("notIn")]
    public void Compile_ReportsProblemAtValuePath_WhenInHasNoArray(string op)
    {
        var problem = Assert.Single(Problems($$"""{ "field": "reason", "op": "{{op}}", "value": "quality" }"""));
        Assert.Equal("$.rules[0].when.value", problem.Path);
        Assert.Contains(op, problem.Message);
    }

    [Fact]
    public void Compile_ReportsProblemAtValuePath_WhenWithinDaysHasNoNumber()
    {
        var problem = Assert.Single(Problems("""{ "all": [ { "field": "purchased_at", "op": "withinDays", "value": "seven" } ] }"""));
        Assert.Equal("$.rules[0].when.all[0].value", problem.Path);
    }

    [Theory]
    [InlineData("""{ "field": "reason) || (true", "op": "eq", "value": 1 }""")]
    [InlineData("""{ "field": "Reason", "op": "eq", "value": 1 }""")]
    [InlineData("""{ "op": "eq", "value": 1 }""")]
    public void Compile_ReportsProblemAndEmitsFalse_WhenFieldIsNotAnIdentifier(string condition)
    {
        var problems = new List<DefinitionProblem>();
        var source = ConditionCompiler.Compile(Condition(condition), null, "$", problems);
        Assert.Equal("$.field", Assert.Single(problems).Path);
        Assert.Equal("false", source);
    }

    [Fact]
    public void Compile_ReportsProblem_WhenGroupHasBothAllAndAny()
    {
        var problem = Assert.Single(Problems("""{ "all": [ { "field": "reason", "op": "empty" } ], "any": [ { "field": "reason", "op": "empty" } ] }"""));
        Assert.Equal("$.rules[0].when", problem.Path);
    }

    [Fact]
    public void Compile_Throws_WhenTreeHasProblemsAndNoProblemListIsGiven()
    {
        var error = Assert.Throws<ArgumentException>(() => ConditionCompiler.Compile(Condition("""{ "field": "colour", "op": "eq", "value": 1 }"""), SampleApp.Entity("return_request")));
        Assert.Contains("$.field", error.Message);
    }

    [Theory]
    [InlineData("'); while(true){} ('")]
    [InlineData("\" || true || \"")]
    [InlineData("' || true || '")]
    [InlineData("x\\\"); (function(){ while(true){} })(); (\"")]
    [InlineData("</script>\u2028\u2029${1}`")]
    public void Compile_KeepsMaliciousValueLiteral_WhenValueTriesToInjectCode(string malicious)
    {
        var node = new ConditionNode { Field = "customer_name", Op = "eq", Value = JsonValue.Create(malicious) };
        var watch = Stopwatch.StartNew();
        Assert.False(Evaluate(node, "return_request", new JsonObject { ["customer_name"] = "张三" }));
        Assert.True(Evaluate(node, "return_request", new JsonObject { ["customer_name"] = malicious }));
        Assert.False(Evaluate(node with { Op = "contains" }, "return_request", new JsonObject { ["customer_name"] = "张三" }));
        Assert.False(Evaluate(node with { Op = "in", Value = new JsonArray(JsonValue.Create(malicious)) }, "return_request", new JsonObject { ["customer_name"] = "张三" }));
        watch.Stop();
        Assert.True(watch.ElapsedMilliseconds < 2000, $"took {watch.ElapsedMilliseconds} ms");
    }
}
