using Platform.Core.Access;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Access;

public sealed class EntityAccessTests
{
    private static readonly EntityDefinition Ticket = new()
    {
        Key = "ticket",
        Label = "工单",
        Fields = [new() { Key = "title", Type = "text" }, new() { Key = "cost", Type = "money" }, new() { Key = "note", Type = "text" }],
        Permissions =
        [
            new() { Role = "agent", Create = true, Read = RowScopes.Department, Update = RowScopes.Own, Fields = new Dictionary<string, string> { ["cost"] = "read" } },
            new() { Role = "auditor", Read = RowScopes.All, Fields = new Dictionary<string, string> { ["note"] = "hidden" } },
            new() { Role = "lead", Read = RowScopes.DepartmentTree, Update = RowScopes.DepartmentTree, Delete = RowScopes.Department },
        ],
    };

    private static Caller As(params string[] roles) => new() { UserName = "u", Roles = roles.ToHashSet() };

    [Fact]
    public void For_GivesNothing_WhenNoRoleIsGranted()
    {
        var access = EntityAccess.For(Ticket, As("stranger"));
        Assert.False(access.CanCreate);
        Assert.Equal(RowScope.None, access.Read);
        Assert.Equal(FieldAccess.Hidden, access.Field("title"));
    }

    [Fact]
    public void For_TakesTheWidestGrant_WhenTheCallerHoldsSeveralRoles()
    {
        var access = EntityAccess.For(Ticket, As("agent", "lead"));
        Assert.True(access.CanCreate);
        Assert.Equal(RowScope.DepartmentTree, access.Read);
        Assert.Equal(RowScope.DepartmentTree, access.Update);
        Assert.Equal(RowScope.Department, access.Delete);

        // agent makes cost read-only, lead leaves it writable: the wider grant wins.
        Assert.Equal(FieldAccess.Write, access.Field("cost"));
    }

    [Fact]
    public void For_AppliesFieldOverrides_ForOneRole()
    {
        var agent = EntityAccess.For(Ticket, As("agent"));
        Assert.Equal(FieldAccess.Read, agent.Field("cost"));
        Assert.Equal(FieldAccess.Write, agent.Field("title"));

        var auditor = EntityAccess.For(Ticket, As("auditor"));
        Assert.Equal(FieldAccess.Hidden, auditor.Field("note"));
        Assert.Equal(FieldAccess.Read, auditor.Field("title"));
        Assert.Equal(["note"], auditor.HiddenFields(Ticket));
    }

    [Fact]
    public void For_NeverMakesAFieldWritable_ForARoleThatMayNotWrite()
    {
        var readOnly = Ticket with { Permissions = [new() { Role = "viewer", Read = RowScopes.All, Fields = new Dictionary<string, string> { ["title"] = "write" } }] };
        Assert.Equal(FieldAccess.Read, EntityAccess.For(readOnly, As("viewer")).Field("title"));
    }

    [Fact]
    public void For_IsFull_ForAdministratorsAndForInternalUsersOfAnEntityWithoutPermissions()
    {
        Assert.True(EntityAccess.For(Ticket, As("admin")).IsFull);
        var open = Ticket with { Permissions = null };
        Assert.True(EntityAccess.For(open, As("agent")).IsFull);
        Assert.Equal(RowScope.None, EntityAccess.For(open, As("agent") with { IsExternal = true }).Read);
    }

    [Fact]
    public void Validate_ReportsPermissionProblems_AtTheirPaths()
    {
        var validator = new DefinitionValidator(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());
        var broken = Ticket with
        {
            Permissions =
            [
                new() { Role = "agent", Read = "everyone", Fields = new Dictionary<string, string> { ["nope"] = "read", ["cost"] = "secret" } },
                new() { Role = "agent", Read = RowScopes.All },
                new() { Role = "Bad Role" },
            ],
        };
        var problems = validator.Validate(new AppDefinition { Key = "demo", Name = "演示", Entities = [broken] }).Select(p => p.Path).ToList();
        Assert.Equal(
            [
                "$.entities[0].permissions[0].read",
                "$.entities[0].permissions[0].fields.nope",
                "$.entities[0].permissions[0].fields.cost",
                "$.entities[0].permissions[1].role",
                "$.entities[0].permissions[2].role",
            ],
            problems);
    }

    [Fact]
    public void TemplatePermissions_KeepCustomerServiceToTheirDepartment_AndProvidersToTheirOwnJobs()
    {
        var returns = EntityAccess.For(SampleApp.Entity("return_request"), As("customer_service"));
        Assert.Equal(RowScope.Department, returns.Read);
        Assert.True(returns.CanCreate);

        var provider = EntityAccess.For(SampleApp.Entity("service_request"), As("service_provider") with { IsExternal = true });
        Assert.Equal(RowScope.Own, provider.Read);
        Assert.Equal(FieldAccess.Hidden, provider.Field("order_no"));
        Assert.Equal(RowScope.None, EntityAccess.For(SampleApp.Entity("customer"), As("service_provider") with { IsExternal = true }).Read);
    }
}
