using Platform.Core.Access;
using Platform.Designer.Components.Admin;
using Platform.Designer.Services;

namespace Platform.Designer.Tests.Components.Admin;

/// <summary>The department list as the screens show it: display order, depth, paths, descendants; bad data loses nothing.</summary>
public sealed class DepartmentTreeTests
{
    private static AdminDepartmentView D(string key, string? parent, int sort = 0) => new(key, key.ToUpperInvariant(), null, parent, sort, 0, 0);

    [Fact]
    public void Entries_PutParentsBeforeChildren_SiblingsBySortThenKey()
    {
        var tree = new DepartmentTree([D("south", "cs", 1), D("hq", null), D("east", "cs", 0), D("cs", "hq", 0), D("finance", "hq", 0)]);

        Assert.Equal(["hq", "cs", "east", "south", "finance"], tree.Entries.Select(e => e.Department.Key));
        Assert.Equal([0, 1, 2, 2, 1], tree.Entries.Select(e => e.Depth));
        Assert.Equal("HQ / CS / EAST", tree.PathOf("east", d => d.Name));
        Assert.Equal(["cs", "east", "south"], tree.SelfAndBelow("cs").Order());
    }

    [Fact]
    public void Entries_ShowOrphansAndCyclesAtTheTop_WhenDataIsBad()
    {
        var tree = new DepartmentTree([D("a", "b"), D("b", "a"), D("lost", "gone"), D("root", null)]);

        Assert.Equal(4, tree.Entries.Count);
        Assert.Contains(tree.Entries, e => e.Department.Key == "lost" && e.Depth == 0);
        Assert.Equal(["lost", "root", "a", "b"], tree.Entries.Select(e => e.Department.Key));
        Assert.Equal("A / B", tree.PathOf("b", d => d.Name));
        Assert.Equal(["a", "b"], tree.SelfAndBelow("a").Order());
    }

    [Fact]
    public void PermissionDraft_RoundTripsAGrant_LeavingNoneScopesOut()
    {
        var grant = new EntityPermission { Role = "customer_service", Create = true, Read = "department", Update = "none", Fields = new Dictionary<string, string> { ["secret"] = "hidden" } };

        var back = PermissionDraft.From(grant).ToPermission();

        Assert.Equal("customer_service", back.Role);
        Assert.True(back.Create);
        Assert.Equal("department", back.Read);
        Assert.Null(back.Update);
        Assert.Null(back.Delete);
        Assert.Equal("hidden", back.Fields["secret"]);
    }
}
