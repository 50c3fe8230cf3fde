using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms;

namespace Platform.Core.Tests.Forms;

public sealed class RecordValidatorTests
{
    private static readonly RecordValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
    private static readonly string ProductA = Guid.NewGuid().ToString();
    private static readonly string ProductB = Guid.NewGuid().ToString();
    private static readonly string Customer = Guid.NewGuid().ToString();

    private static DictionaryLookupSource Orders() => new DictionaryLookupSource()
        .Add(new LookupRequest("sales_order", "order_no", "SO1"), Order("SO1", (ProductA, 2, 100m)))
        .Add(new LookupRequest("sales_order", "order_no", "SO2"), Order("SO2", (ProductA, 1, 100m), (ProductB, 3, 59.9m)));

    private static JsonObject Order(string no, params (string Product, int Quantity, decimal Price)[] items) => new()
    {
        ["order_no"] = no,
        ["customer"] = Customer,
        ["purchased_at"] = "2026-11-20",
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject { ["product"] = i.Product, ["quantity"] = i.Quantity, ["unit_price"] = i.Price })]),
    };

    private static JsonObject Return(Action<JsonObject>? change = null)
    {
        var data = new JsonObject
        {
            ["order_no"] = "SO1",
            ["customer_name"] = "张三",
            ["phone"] = "13812345678",
            ["kind"] = "return",
            ["reason"] = "no_reason",
            ["quantity"] = 1,
        };
        change?.Invoke(data);
        return data;
    }

    private static RecordValidationResult Validate(string entity, JsonObject data, JsonObject? existing = null, IReadOnlySet<string>? allowed = null) =>
        Validator.Validate(SampleApp.Entity(entity), data, new RecordValidationContext { Now = Now, UserName = "cs01", Existing = existing, Lookups = Orders(), AllowedFields = allowed });

    [Fact]
    public void Validate_FillsLookupsAndComputesFormula_WhenOrderHasOneItem()
    {
        var result = Validate("return_request", Return());
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        Assert.Equal(ProductA, result.Data["product"]!.GetValue<string>());
        Assert.Equal(2, result.Data["purchased_qty"]!.GetValue<int>());
        Assert.Equal("2026-11-20", result.Data["purchased_at"]!.GetValue<string>());
        Assert.Equal(Customer, result.Data["customer"]!.GetValue<string>());
        Assert.Equal(100, result.Data["amount"]!.GetValue<long>());
        Assert.Equal("pending", result.Data["status"]!.GetValue<string>());
        var number = Assert.Single(result.AutoNumbers);
        Assert.Equal(new AutoNumberRequest("request_no", "RT20261125", 4, ""), number);
    }

    [Fact]
    public void Validate_NamesPhone_WhenPhoneIsNotAMobileNumber()
    {
        var result = Validate("return_request", Return(d => d["phone"] = "12345"));
        Assert.Equal(["phone"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_NamesQuantity_WhenAbovePurchasedQuantity()
    {
        var result = Validate("return_request", Return(d => d["quantity"] = 3));
        Assert.Equal(["quantity"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_RequiresDescriptionAndImages_WhenReasonIsQuality()
    {
        var result = Validate("return_request", Return(d => d["reason"] = "quality"));
        Assert.Equal(new[] { "description", "images" }, result.Errors.Keys.Order());
        var ok = Validate("return_request", Return(d =>
        {
            d["reason"] = "quality";
            d["description"] = "压缩机异响";
            d["images"] = new JsonArray("f1");
        }));
        Assert.True(ok.IsValid);
    }

    [Fact]
    public void Validate_RequiresImagesOnly_WhenReasonIsDamaged()
    {
        var result = Validate("return_request", Return(d => d["reason"] = "damaged"));
        Assert.Equal(["images"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_DropsHiddenAndSystemFields_WhenClientSendsThem()
    {
        var result = Validate("return_request", Return(d =>
        {
            d["description"] = "hidden unless quality";
            d["status"] = "refunded";
            d["amount"] = 1;
            d["purchased_qty"] = 99;
            d["request_no"] = "RT-FAKE";
        }));
        Assert.True(result.IsValid);
        Assert.False(result.Data.ContainsKey("description"));
        Assert.Equal("pending", result.Data["status"]!.GetValue<string>());
        Assert.Equal(100, result.Data["amount"]!.GetValue<long>());
        Assert.Equal(2, result.Data["purchased_qty"]!.GetValue<int>());
        Assert.False(result.Data.ContainsKey("request_no"));
    }

    [Fact]
    public void Validate_RequiresProductChoice_WhenOrderHasSeveralItems()
    {
        Assert.Equal(["product"], Validate("return_request", Return(d => d["order_no"] = "SO2")).Errors.Keys);
        var chosen = Validate("return_request", Return(d =>
        {
            d["order_no"] = "SO2";
            d["product"] = ProductB;
            d["quantity"] = 3;
        }));
        Assert.True(chosen.IsValid);
        Assert.Equal(179.7m, chosen.Data["amount"]!.GetValue<decimal>());
        var wrong = Validate("return_request", Return(d =>
        {
            d["order_no"] = "SO2";
            d["product"] = Guid.NewGuid().ToString();
        }));
        Assert.Equal(["product"], wrong.Errors.Keys);
    }

    [Fact]
    public void Validate_NamesOrder_WhenOrderNumberUnknown() =>
        Assert.Contains("order_no", Validate("return_request", Return(d => d["order_no"] = "NOPE")).Errors.Keys);

    [Fact]
    public void Validate_KeysRowErrorsByPath_WhenSubTableRowIsInvalid()
    {
        var order = new JsonObject
        {
            ["order_no"] = "SO9",
            ["customer"] = Customer,
            ["purchased_at"] = "2026-11-20",
            ["items"] = new JsonArray(
                new JsonObject { ["product"] = ProductA, ["quantity"] = 1, ["unit_price"] = 10 },
                new JsonObject { ["product"] = ProductA, ["quantity"] = 2, ["unit_price"] = 10 },
                new JsonObject { ["product"] = ProductA, ["quantity"] = 0, ["unit_price"] = 10 }),
        };
        var result = Validator.Validate(SampleApp.Entity("sales_order"), order, new RecordValidationContext { Now = Now });
        Assert.Equal(["items[2].quantity"], result.Errors.Keys);

        order["items"]![2]!["quantity"] = 1.5;
        Assert.Equal(["items[2].quantity"], Validator.Validate(SampleApp.Entity("sales_order"), order, new RecordValidationContext { Now = Now }).Errors.Keys);

        order["items"]![2]!["quantity"] = 3;
        var ok = Validator.Validate(SampleApp.Entity("sales_order"), order, new RecordValidationContext { Now = Now });
        Assert.True(ok.IsValid);
        Assert.Equal(30, ok.Data["items"]![2]!["amount"]!.GetValue<long>());
        Assert.Equal(60, ok.Data["total_amount"]!.GetValue<long>());
    }

    [Fact]
    public void Validate_ChecksReferences_WhenLookupSourceGiven()
    {
        var usage = new JsonObject { ["service_request"] = Guid.NewGuid().ToString(), ["part"] = Guid.NewGuid().ToString(), ["quantity"] = 1 };
        var result = Validator.Validate(SampleApp.Entity("part_usage"), usage, new RecordValidationContext { Now = Now, Lookups = new DictionaryLookupSource() });
        Assert.Equal(new[] { "part", "service_request" }, result.Errors.Keys.Order());
    }

    [Fact]
    public void Validate_ReportsUnknownField_AndBadTypes()
    {
        var result = Validate("customer", new JsonObject
        {
            ["name"] = "李四",
            ["phone"] = "+86 138-1234-5678",
            ["region"] = "mars",
            ["email"] = "not-an-email",
            ["nickname"] = "x",
        });
        Assert.Equal(new[] { "email", "nickname", "region" }, result.Errors.Keys.Order());
        Assert.Equal("13812345678", result.Data["phone"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_AppliesCrossFieldRule_ExactlyOneSubject()
    {
        var none = Validate("feedback", new JsonObject { ["rating"] = 5 });
        Assert.Equal(["service_request"], none.Errors.Keys);
        var both = Validate("feedback", new JsonObject { ["rating"] = 5, ["service_request"] = Guid.NewGuid().ToString(), ["return_request"] = Guid.NewGuid().ToString() });
        Assert.Contains("service_request", both.Errors.Keys);
    }

    [Fact]
    public void Validate_MergesPatchOverExisting_AndKeepsAutoNumber()
    {
        var created = Validate("return_request", Return());
        var existing = created.Data.DeepClone().AsObject();
        existing["request_no"] = "RT202611250001";
        var patched = Validate("return_request", new JsonObject { ["customer_name"] = "王五" }, existing);
        Assert.True(patched.IsValid);
        Assert.Equal("王五", patched.Data["customer_name"]!.GetValue<string>());
        Assert.Equal("RT202611250001", patched.Data["request_no"]!.GetValue<string>());
        Assert.Empty(patched.AutoNumbers);
    }

    [Fact]
    public void Validate_TakesOnlyAllowedFields_WhenPublicFormLimitsThem()
    {
        var result = Validate("return_request", Return(d => d["video"] = new JsonArray("v1")), allowed: new HashSet<string> { "order_no", "customer_name", "phone", "kind", "reason", "quantity" });
        Assert.True(result.IsValid);
        Assert.False(result.Data.ContainsKey("video"));
    }

    [Fact]
    public void Validate_RequiresTemperatureLog_WhenColdChain()
    {
        var claim = new JsonObject { ["waybill_no"] = "SF1234567890", ["customer_type"] = "ka", ["claim_type"] = "lost", ["cold_chain"] = true, ["amount"] = 800 };
        Assert.Equal(["temperature_log"], Validate("logistics_claim", claim).Errors.Keys);
        claim["cold_chain"] = false;
        claim["temperature_log"] = new JsonArray("t1");
        var ok = Validate("logistics_claim", claim);
        Assert.True(ok.IsValid);
        Assert.False(ok.Data.ContainsKey("temperature_log"));
    }
}
