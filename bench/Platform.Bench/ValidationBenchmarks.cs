using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Bench;

/// <summary>Server-side validation of one return_request (the target is ≤ 50 µs).</summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private readonly RecordValidator validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());
    private EntityDefinition entity = null!;
    private RecordValidationContext context = null!;
    private JsonObject submitted = null!;

    [GlobalSetup]
    public void Setup()
    {
        entity = SampleFiles.LoadApp().FindEntity("return_request")!;
        var product = Guid.NewGuid().ToString();
        var order = new JsonObject
        {
            ["order_no"] = "SO202611200001",
            ["customer"] = Guid.NewGuid().ToString(),
            ["purchased_at"] = "2026-11-20",
            ["items"] = new JsonArray(new JsonObject { ["product"] = product, ["quantity"] = 2, ["unit_price"] = 2999 }),
        };
        context = new RecordValidationContext
        {
            Now = DateTimeOffset.UtcNow,
            UserName = "cs01",
            Lookups = new DictionaryLookupSource().Add(new LookupRequest("sales_order", "order_no", "SO202611200001"), order),
        };
        submitted = new JsonObject
        {
            ["order_no"] = "SO202611200001",
            ["customer_name"] = "张三",
            ["phone"] = "13812345678",
            ["kind"] = "return",
            ["reason"] = "quality",
            ["description"] = "压缩机异响，无法制冷",
            ["images"] = new JsonArray("img1", "img2"),
            ["quantity"] = 1,
        };
        if (!validator.Validate(entity, submitted, context).IsValid)
        {
            throw new InvalidOperationException("The benchmark record must be valid.");
        }
    }

    [Benchmark(Description = "validate return_request (lookups, visibility, formula, rule)")]
    public bool Validate() => validator.Validate(entity, submitted, context).IsValid;
}
