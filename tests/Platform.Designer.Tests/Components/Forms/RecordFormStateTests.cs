using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Designer.Components.Forms;

namespace Platform.Designer.Tests.Components.Forms;

/// <summary>The live form state runs the server's form engine: fills, formulas, conditions, errors and the body it sends.</summary>
public sealed class RecordFormStateTests
{
    private static readonly RecordValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string Product = Guid.NewGuid().ToString();

    private static RecordFormState ReturnRequest(IReadOnlyList<string>? fields = null, bool isPublic = false) =>
        new(SampleApp.Definition, SampleApp.Entity("return_request"), Validator, fields: fields, isPublic: isPublic);

    private static FieldCell Cell(RecordFormState state, string key) => new(state.Entity.FindField(key)!);

    /// <summary>Answers the lookups the state asks for: one order with one item, one product, nothing else.</summary>
    private static void Fetch(RecordFormState state)
    {
        for (var pass = 0; pass < 3; pass++)
        {
            var missing = state.MissingLookups();
            if (missing.Count == 0)
            {
                return;
            }

            state.AddLookups(missing, missing.Select(r => r switch
            {
                { Entity: "sales_order", Value: "SO1" } => new JsonObject
                {
                    ["order_no"] = "SO1",
                    ["purchased_at"] = "2026-11-20",
                    ["items"] = new JsonArray(new JsonObject { ["product"] = Product, ["quantity"] = 3, ["unit_price"] = 199.5 }),
                },
                { Entity: "product" } when r.Value == Product => new JsonObject { ["name"] = "变频冰箱 BCD-520" },
                _ => null,
            }).ToList());
            state.Recompute(Now, "cs01");
        }
    }

    private static void Change(RecordFormState state, string key, JsonNode? value)
    {
        state.Set(Cell(state, key), value);
        state.Recompute(Now, "cs01");
        Fetch(state);
    }

    [Fact]
    public void Recompute_FillsFromTheOrderPicksItsOnlyItemAndComputesTheAmount_WhenAnOrderNumberIsTyped()
    {
        var state = ReturnRequest();
        state.Recompute(Now, "cs01");

        Change(state, "order_no", "SO1");
        Change(state, "quantity", 2);

        Assert.Equal("2026-11-20", (string?)state.ValueOf(Cell(state, "purchased_at")));
        Assert.Equal(Product, (string?)state.ValueOf(Cell(state, "product")));
        Assert.Equal(3, (int)state.ValueOf(Cell(state, "purchased_qty"))!);
        Assert.Equal(399m, FieldValues.AsDecimal(state.ValueOf(Cell(state, "amount"))));
        Assert.Equal([(Product, "变频冰箱 BCD-520")], state.RowOptions(state.Entity.FindField("product")!));
    }

    [Fact]
    public void IsVisibleAndIsRequired_FollowTheReason_WhenReasonChanges()
    {
        var state = ReturnRequest();
        state.Recompute(Now, "cs01");
        var description = state.Entity.FindField("description")!;
        Assert.False(state.IsVisible(description));

        Change(state, "reason", "quality");
        Assert.True(state.IsVisible(description));
        Assert.True(state.IsRequired(Cell(state, "description")));
        Assert.True(state.IsRequired(Cell(state, "images")));

        Change(state, "reason", "damaged");
        Assert.False(state.IsVisible(description));
        Assert.True(state.IsRequired(Cell(state, "images")));
    }

    [Fact]
    public void ErrorsAt_ShowsTheValidatorsMessage_OnlyOnceTouchedOrSubmitted()
    {
        var state = ReturnRequest();
        state.Recompute(Now, "cs01");
        Assert.Empty(state.ErrorsAt("customer_name"));
        Assert.Contains("customer_name", state.ClientErrors.Keys);

        Change(state, "phone", "12345");
        Assert.Equal(["手机号须为以 1 开头的 11 位数字"], state.ErrorsAt("phone"));
        Assert.Empty(state.ErrorsAt("customer_name"));

        Assert.False(state.TrySubmit());
        Assert.Equal(["请填写联系人"], state.ErrorsAt("customer_name"));
        Assert.Contains(state.AllErrors(), e => e.Path == "phone");
    }

    [Fact]
    public void ErrorsAt_ShowsALookupMiss_WhenTheOrderNumberIsUnknown()
    {
        var state = ReturnRequest();
        Change(state, "order_no", "NOPE");

        Assert.Equal(["未找到“NOPE”，请核对后重新输入"], state.ErrorsAt("order_no"));
    }

    [Fact]
    public void Submission_SendsOnlyEditableFilledFields_WhenCreating()
    {
        var state = ReturnRequest();
        Change(state, "order_no", "SO1");
        Change(state, "phone", "13800138000");

        var body = state.Submission();

        Assert.Equal(["order_no", "phone", "product"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Null(body["purchased_at"]);
        Assert.Null(body["amount"]);
    }

    [Fact]
    public void Submission_SendsNullForAClearedField_WhenEditing()
    {
        var existing = new JsonObject { ["customer_name"] = "张三", ["phone"] = "13800138000", ["status"] = "pending", ["request_no"] = "RT202612010001" };
        var state = new RecordFormState(SampleApp.Definition, SampleApp.Entity("return_request"), Validator, existing);
        Change(state, "customer_name", null);

        var body = state.Submission();

        Assert.True(body.ContainsKey("customer_name"));
        Assert.Null(body["customer_name"]);
        Assert.Equal("13800138000", (string?)body["phone"]);
        Assert.False(body.ContainsKey("status"));
        Assert.False(body.ContainsKey("request_no"));
    }

    [Fact]
    public void Sections_ShowOnlyThePublicFormsFields_WhenPublic()
    {
        var form = SampleApp.Definition.PublicForms.Single(f => f.Key == "return_form");
        var state = ReturnRequest(form.Fields, isPublic: true);

        var shown = state.Sections.SelectMany(s => s.Fields).Select(f => f.Key).ToHashSet();

        Assert.Equal(form.Fields.ToHashSet(), shown);
        Assert.False(state.IsEditable(state.Entity.FindField("purchased_at")!));
    }

    [Fact]
    public void SetServerErrors_PutsRowErrorsOnTheirCells_AndNamesThemForPeople()
    {
        var state = new RecordFormState(SampleApp.Definition, SampleApp.Entity("sales_order"), Validator);
        Assert.Single(state.Rows("items"));
        state.AddRow("items");
        state.Recompute(Now, "cs01");

        state.SetServerErrors(new Dictionary<string, IReadOnlyList<string>> { ["items[1].quantity"] = ["不能小于 1"], ["order_no"] = ["订单号已存在"] });
        var table = state.Entity.FindField("items")!;
        var quantity = table.Fields!.Single(f => f.Key == "quantity");

        Assert.Equal(["不能小于 1"], state.ErrorsAt(new FieldCell(quantity, "items", 1)));
        Assert.Empty(state.ErrorsAt(new FieldCell(quantity, "items", 0)));
        Assert.Equal("订单明细 第 2 行 · 数量", state.PathLabel("items[1].quantity"));

        state.Set(new FieldCell(quantity, "items", 1), 2);
        state.Recompute(Now, "cs01");
        Assert.Empty(state.ErrorsAt(new FieldCell(quantity, "items", 1)));
        Assert.Equal(["订单号已存在"], state.ErrorsAt("order_no"));
    }

    [Fact]
    public void Recompute_ComputesEachRowsFormulaAndTheTotal_WhenRowsAreFilled()
    {
        var state = new RecordFormState(SampleApp.Definition, SampleApp.Entity("sales_order"), Validator);
        var table = state.Entity.FindField("items")!;
        FieldCell RowCell(string key, int row) => new(table.Fields!.Single(f => f.Key == key), "items", row);
        state.AddRow("items");
        state.Set(RowCell("quantity", 0), 2);
        state.Set(RowCell("unit_price", 0), 10.5m);
        state.Set(RowCell("quantity", 1), 1);
        state.Set(RowCell("unit_price", 1), 100);
        state.Recompute(Now, "cs01");

        Assert.Equal(21m, FieldValues.AsDecimal(state.ValueOf(RowCell("amount", 0))));
        Assert.Equal(100m, FieldValues.AsDecimal(state.ValueOf(RowCell("amount", 1))));
        Assert.Equal(121m, FieldValues.AsDecimal(state.ValueOf(new FieldCell(state.Entity.FindField("total_amount")!))));

        state.RemoveRow("items", 0);
        state.RemoveRow("items", 0);
        state.Recompute(Now, "cs01");
        Assert.False(state.TrySubmit());
        Assert.Contains(state.ErrorsAt("items"), m => m.Contains("至少"));
    }
}
