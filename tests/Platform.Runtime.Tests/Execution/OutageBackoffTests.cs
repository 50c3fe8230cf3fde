using Microsoft.Extensions.Logging.Abstractions;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Tests.Execution;

public sealed class OutageBackoffTests
{
    [Fact]
    public void Failed_WaitsHalfASecondThenDoublesUpToFiveSeconds_AndStartsOverAfterASuccess()
    {
        var backoff = new OutageBackoff(NullLogger.Instance, "test");
        var error = new TimeoutException("down");
        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Failed(error).TotalMilliseconds).ToArray();
        Assert.Equal(new double[] { 500, 1000, 2000, 4000, 5000, 5000 }, delays);
        Assert.Equal(6, backoff.Failures);

        backoff.Succeeded();
        Assert.Equal(0, backoff.Failures);
        Assert.Equal(500, backoff.Failed(error).TotalMilliseconds);
    }
}
