using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Platform.Runtime.Ui;

/// <summary>Counts the open Blazor circuits of this node (for the health of a node and the bench's memory per circuit).</summary>
public sealed class CircuitCounter : CircuitHandler
{
    private static int open;

    /// <summary>Circuits open on this node now.</summary>
    public static int Open => Volatile.Read(ref open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref open);
        return Task.CompletedTask;
    }
}
