namespace Platform.Core.Forms;

/// <summary>A record the validator needs: the one of <see cref="Entity"/> whose <see cref="Field"/> equals <see cref="Value"/> (<c>id</c> for references).</summary>
public sealed record LookupRequest(string Entity, string Field, string Value);
