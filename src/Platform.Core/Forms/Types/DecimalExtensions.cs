namespace Platform.Core.Forms.Types;

internal static class DecimalExtensions
{
    /// <summary>Drops trailing zeros (1.50 → 1.5) so stored JSON is canonical.</summary>
    public static decimal Normalize(this decimal value) => value / 1.000000000000000000000000000000000m;
}
