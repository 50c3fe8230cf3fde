using Platform.Core.Rules.Runtime;
using static Platform.Core.Tests.Rules.RuleTestKit;

namespace Platform.Core.Tests.Rules;

public sealed class RuleChainGuardTests
{
    [Fact]
    public void Refuse_AllowsTheFirstFiring_WhenTheChainIsNew() =>
        Assert.Null(new RuleChainGuard().Refuse("deduct_stock", RecordId, 0));

    [Fact]
    public void Refuse_RefusesWithALoopReason_WhenTheSameRuleFiresAgainForTheSameRecord()
    {
        var guard = new RuleChainGuard();
        Assert.Null(guard.Refuse("low_stock_purchase", RecordId, 1));
        var reason = guard.Refuse("low_stock_purchase", RecordId, 2);
        Assert.NotNull(reason);
        Assert.Contains("loop", reason);
        Assert.Contains("low_stock_purchase", reason);
    }

    [Fact]
    public void Refuse_Allows_WhenTheSameRuleFiresForADifferentRecord_OrADifferentRuleForTheSameRecord()
    {
        var guard = new RuleChainGuard();
        Assert.Null(guard.Refuse("deduct_stock", RecordId, 0));
        Assert.Null(guard.Refuse("deduct_stock", OtherId, 1));
        Assert.Null(guard.Refuse("low_stock_purchase", RecordId, 1));
        Assert.NotNull(guard.Refuse("deduct_stock", OtherId, 2));
    }

    [Fact]
    public void Refuse_Allows_WhenRecordIsNull_EvenRepeatedly()
    {
        var guard = new RuleChainGuard();
        Assert.Null(guard.Refuse("daily_report", null, 0));
        Assert.Null(guard.Refuse("daily_report", null, 1));
    }

    [Fact]
    public void Refuse_AllowsUpToMaxDepth_AndRefusesBeyondWithADepthLimitReason()
    {
        var guard = new RuleChainGuard();
        Assert.Equal(RuleChainGuard.DefaultMaxDepth, guard.MaxDepth);
        for (var depth = 0; depth <= guard.MaxDepth; depth++)
        {
            Assert.Null(guard.Refuse($"rule_{depth}", RecordId, depth));
        }

        var reason = guard.Refuse("one_more", RecordId, guard.MaxDepth + 1);
        Assert.NotNull(reason);
        Assert.Contains("depth limit", reason);
    }

    [Fact]
    public void Refuse_HonoursACustomMaxDepth_AndDoesNotRecordARefusedFiring()
    {
        var guard = new RuleChainGuard(maxDepth: 2);
        Assert.Contains("depth limit", guard.Refuse("r", RecordId, 3));
        Assert.Null(guard.Refuse("r", RecordId, 2));
        Assert.Contains("loop", guard.Refuse("r", RecordId, 1));
    }
}
