namespace Platform.Runtime.Hosting;

/// <summary>A demo user seeded in local mode.</summary>
public sealed record DemoUser(string UserName, string DisplayName, IReadOnlyList<string> Roles)
{
    public const string Password = "demo1234";

    /// <summary>A made-up mobile number per demo user (SMS notifications have somewhere to go), the same on every start.</summary>
    public string Phone { get; init; } = string.Empty;

    /// <summary>A demo mailbox per user.</summary>
    public string Email => $"{UserName}@demo.example.cn";

    /// <summary>The demo users of AFTER-SALES.md: admin, customer service, supervisor, warehouse, finance, quality, 20 engineers, and a business analyst who designs apps.</summary>
    public static IReadOnlyList<DemoUser> All { get; } = Seed().Select((u, i) => u with { Phone = $"1390000{i + 1:0000}" }).ToList();

    private static IEnumerable<DemoUser> Seed() =>
    [
        new("admin", "系统管理员", ["admin"]),
        new("cs01", "王晓梅（客服）", ["customer_service"]),
        new("cs02", "李俊（客服）", ["customer_service"]),
        new("sup01", "张建国（客服主管）", ["supervisor", "customer_service"]),
        new("wh01", "刘强（仓库）", ["warehouse"]),
        new("fin01", "陈静（财务）", ["finance"]),
        new("qa01", "赵敏（质量）", ["quality"]),
        .. Enumerable.Range(1, 20).Select(i => new DemoUser($"eng{i:00}", $"{DemoNames.Engineers[i - 1]}（工程师）", ["engineer"])),
        new("analyst", "孙悦（业务分析师）", ["designer"]),
    ];
}
