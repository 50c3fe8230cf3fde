namespace Platform.Runtime.Hosting;

/// <summary>A demo user seeded in local mode.</summary>
public sealed record DemoUser(string UserName, string DisplayName, IReadOnlyList<string> Roles)
{
    public const string Password = "demo1234";

    /// <summary>A made-up mobile number per demo user (SMS notifications have somewhere to go), the same on every start.</summary>
    public string Phone { get; init; } = string.Empty;

    /// <summary>The user's department (see <see cref="DemoOrganisation"/>), or null.</summary>
    public string? Department { get; init; }

    /// <summary>A service provider's technician: sees only what is granted to them.</summary>
    public bool IsExternal { get; init; }

    /// <summary>A demo mailbox per user.</summary>
    public string Email => $"{UserName}@demo.example.cn";

    /// <summary>The demo users of AFTER-SALES.md: admin, customer service, supervisor, warehouse, finance, quality, 20 engineers, a business analyst who designs apps, an external service provider and a key-account manager.</summary>
    public static IReadOnlyList<DemoUser> All { get; } = Seed().Select((u, i) => u with { Phone = $"1390000{i + 1:0000}" }).ToList();

    private static IEnumerable<DemoUser> Seed() =>
    [
        new("admin", "系统管理员", ["admin"]) { Department = "it" },
        new("cs01", "王晓梅（客服）", ["customer_service"]) { Department = "cs_east" },
        new("cs02", "李俊（客服）", ["customer_service"]) { Department = "cs_south" },
        new("sup01", "张建国（客服主管）", ["supervisor", "customer_service"]) { Department = "cs_center" },
        new("wh01", "刘强（仓库）", ["warehouse"]) { Department = "warehouse" },
        new("fin01", "陈静（财务）", ["finance"]) { Department = "finance" },
        new("qa01", "赵敏（质量）", ["quality"]) { Department = "quality" },
        .. Enumerable.Range(1, 20).Select(i => new DemoUser($"eng{i:00}", $"{DemoNames.Engineers[i - 1]}（工程师）", ["engineer"]) { Department = "field_service" }),
        new("analyst", "孙悦（业务分析师）", ["designer"]) { Department = "it" },
        new("sp01", "顺达家电服务（外部服务商）", ["service_provider"]) { IsExternal = true },
        new("ka01", "周立新（大客户经理）", ["key_account"]) { Department = "key_account" },
    ];
}
