using Npgsql;

namespace Platform.Runtime.Hosting;

/// <summary>The demo company's departments (a tree under 总部) and named roles, seeded in local mode before the demo users.</summary>
public static class DemoOrganisation
{
    /// <summary>Key, name, English name, parent.</summary>
    public static IReadOnlyList<(string Key, string Name, string NameEn, string? Parent)> Departments { get; } =
    [
        ("hq", "总部", "Headquarters", null),
        ("cs_center", "客服中心", "Customer service centre", "hq"),
        ("cs_east", "客服一组（华东）", "CS team 1 (East)", "cs_center"),
        ("cs_south", "客服二组（华南）", "CS team 2 (South)", "cs_center"),
        ("key_account", "大客户组", "Key-account team", "cs_center"),
        ("warehouse", "仓储物流部", "Warehouse and logistics", "hq"),
        ("finance", "财务部", "Finance", "hq"),
        ("quality", "质量部", "Quality", "hq"),
        ("field_service", "服务网点", "Field service", "hq"),
        ("it", "信息部", "IT", "hq"),
    ];

    /// <summary>Key, name, English name, external.</summary>
    public static IReadOnlyList<(string Key, string Name, string NameEn, bool External)> Roles { get; } =
    [
        ("admin", "系统管理员", "Administrator", false),
        ("designer", "业务分析师", "Business analyst", false),
        ("customer_service", "客服", "Customer service", false),
        ("supervisor", "客服主管", "CS supervisor", false),
        ("warehouse", "仓库", "Warehouse", false),
        ("finance", "财务", "Finance", false),
        ("quality", "质量", "Quality", false),
        ("engineer", "工程师", "Engineer", false),
        ("service_provider", "外部服务商", "Service provider", true),
        ("key_account", "大客户经理", "Key-account manager", false),
    ];

    /// <summary>Adds the departments and roles that are missing; existing ones (edited by administrators) stay.</summary>
    public static async Task SeedAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        for (var i = 0; i < Departments.Count; i++)
        {
            var (key, name, nameEn, parent) = Departments[i];
            var cmd = new NpgsqlBatchCommand("insert into departments (key, name, name_en, parent_key, sort) values ($1, $2, $3, $4, $5) on conflict (key) do nothing");
            cmd.Parameters.Add(new NpgsqlParameter { Value = key });
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = nameEn });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)parent ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter { Value = i });
            batch.BatchCommands.Add(cmd);
        }

        foreach (var (key, name, nameEn, external) in Roles)
        {
            var cmd = new NpgsqlBatchCommand("insert into roles (key, name, name_en, is_external) values ($1, $2, $3, $4) on conflict (key) do nothing");
            cmd.Parameters.Add(new NpgsqlParameter { Value = key });
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = nameEn });
            cmd.Parameters.Add(new NpgsqlParameter { Value = external });
            batch.BatchCommands.Add(cmd);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }
}
