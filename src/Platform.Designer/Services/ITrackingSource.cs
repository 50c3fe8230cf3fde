namespace Platform.Designer.Services;

/// <summary>The customer's tracking lookup (the same as <c>GET /api/public/track/{trackingNo}</c>); null when number and phone do not match.</summary>
public interface ITrackingSource
{
    Task<TrackingView?> TrackAsync(string trackingNo, string phone, CancellationToken ct);
}
