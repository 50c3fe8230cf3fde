using Platform.Designer.Services;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Ui;

/// <summary>The <c>/track</c> page's lookup: the same <see cref="TrackingLookup"/> as <c>GET /api/public/track/{trackingNo}</c>.</summary>
public sealed class TrackingSource(TrackingLookup tracking) : ITrackingSource
{
    public async Task<TrackingView?> TrackAsync(string trackingNo, string phone, CancellationToken ct) =>
        await tracking.FindAsync(trackingNo.Trim(), phone.Trim(), ct) is { } found
            ? new TrackingView(
                found.TrackingNo, found.Status, found.StatusLabel, found.FlowStatus,
                found.Timeline.Select(h => new TrackingEntryView(h.At, h.Step, h.Action, TrackingLookup.Text(h))).ToList())
            : null;
}
