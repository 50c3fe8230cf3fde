using System.Diagnostics;
using Jint;

namespace Platform.Core.Expressions;

/// <summary>
/// The time limit, armed only for expression runs: setting up a pooled engine (prelude, freezing the
/// intrinsics, warming the JIT) is our own code and must not count against an expression's budget.
/// </summary>
internal sealed class ArmedTimeConstraint(TimeSpan timeout) : Constraint
{
    private readonly long budget = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    private long deadline;

    public bool Armed { get; set; }

    public override void Check()
    {
        if (Armed && Stopwatch.GetTimestamp() > deadline)
        {
            throw new TimeoutException($"The expression ran longer than {timeout.TotalMilliseconds} ms.");
        }
    }

    public override void Reset() => deadline = Stopwatch.GetTimestamp() + budget;
}
