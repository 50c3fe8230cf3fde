namespace Platform.Core.Flows.Definitions;

/// <summary>The map apps the phone view's 导航 button can open, and the search URL of each.</summary>
public static class MobileMaps
{
    public const string Amap = "amap";
    public const string Baidu = "baidu";

    public static readonly IReadOnlyList<string> All = [Amap, Baidu];

    /// <summary>A web URL that searches <paramref name="address"/> on the map (opens the app when installed, the web map otherwise).</summary>
    public static string SearchUrl(string map, string address) => map == Baidu
        ? $"https://api.map.baidu.com/geocoder?address={Uri.EscapeDataString(address)}&output=html&src=platform.mobile"
        : $"https://uri.amap.com/search?keyword={Uri.EscapeDataString(address)}&src=platform.mobile&callnative=1";
}
