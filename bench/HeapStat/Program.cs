// Investigation tool (not in Platform.sln): `dump <pid> <file>` writes a heap dump of a running runtime; `stat a.dmp b.dmp` lists
// the managed heap by type, b minus a (e.g. no tab open vs 20 idle tabs); `bytes a.dmp` groups byte[] by size and heap kind.
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

if (args[0] == "dump")
{
    var client = new DiagnosticsClient(int.Parse(args[1]));
    client.WriteDump(DumpType.WithHeap, args[2]);
    Console.WriteLine("dumped " + args[2]);
    return;
}
if (args[0] == "bytes") { Hist.Run(args[1]); return; }
if (args[0] == "frames") { Frames.Run(args[1]); return; }
if (args[0] == "strings") { Frames.Strings(args[1]); return; }
// stat a.dmp [b.dmp] : per-type totals (b - a)
Dictionary<string, (long Count, long Size)> Stat(string path)
{
    using var dt = DataTarget.LoadDump(path);
    var rt = dt.ClrVersions[0].CreateRuntime();
    var d = new Dictionary<string, (long, long)>();
    foreach (var o in rt.Heap.EnumerateObjects())
    {
        if (!o.IsValid || o.IsFree) continue;
        var name = o.Type?.Name ?? "?";
        var s = (long)o.Size;
        d[name] = d.TryGetValue(name, out var v) ? (v.Item1 + 1, v.Item2 + s) : (1, s);
    }
    return d;
}
var a = Stat(args[1]);
var b = args.Length > 2 ? Stat(args[2]) : new();
var keys = a.Keys.Union(b.Keys);
var rows = keys.Select(k => (k, c: b.GetValueOrDefault(k).Count - a.GetValueOrDefault(k).Count, s: b.GetValueOrDefault(k).Size - a.GetValueOrDefault(k).Size))
    .Select(r => args.Length > 2 ? r : (k: r.k, c: -r.c, s: -r.s)).OrderByDescending(r => r.s).ToList();
Console.WriteLine($"total delta {rows.Sum(r => r.s) / 1024.0:0} KB, {rows.Sum(r => r.c)} objects");
foreach (var r in rows.Take(int.Parse(Environment.GetEnvironmentVariable("TOP") ?? "80")))
    Console.WriteLine($"{r.s / 1024.0,10:0.0} KB {r.c,8} {r.k}");
static class Hist
{
    public static void Run(string path)
    {
        using var dt = DataTarget.LoadDump(path);
        var rt = dt.ClrVersions[0].CreateRuntime();
        var d = new Dictionary<(ulong, string), int>();
        foreach (var seg in rt.Heap.Segments)
        foreach (var o in seg.EnumerateObjects())
        {
            if (!o.IsValid || o.Type?.Name != "System.Byte[]") continue;
            var k = (o.Size, seg.Kind.ToString());
            d[k] = d.GetValueOrDefault(k) + 1;
        }
        foreach (var kv in d.OrderByDescending(kv => (long)kv.Key.Item1 * kv.Value).Take(12)) Console.WriteLine($"{kv.Key.Item1,8} {kv.Key.Item2,-10} x{kv.Value}");
    }
}

// `frames a.dmp`: per component type, how many components and the RenderTreeFrame[] bytes their current and next render trees hold.
static class Frames
{
    static long ArrayBytes(ClrObject builder)
    {
        if (builder.IsNull) return 0;
        var entries = builder.ReadObjectField("_entries");
        if (entries.IsNull) return 0;
        var items = entries.ReadObjectField("_items");
        return items.IsNull ? 0 : (long)items.Size;
    }
    public static void Run(string path)
    {
        using var dt = DataTarget.LoadDump(path);
        var rt = dt.ClrVersions[0].CreateRuntime();
        var d = new Dictionary<string, (int N, long Cur, long Next, int Two)>();
        foreach (var o in rt.Heap.EnumerateObjects())
        {
            if (!o.IsValid || o.Type?.Name is not ("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState" or "Microsoft.AspNetCore.Components.Rendering.ComponentState")) continue;
            var comp = o.ReadObjectField("<Component>k__BackingField");
            var name = comp.IsNull ? "?" : comp.Type?.Name ?? "?";
            var cur = ArrayBytes(o.ReadObjectField("<CurrentRenderTree>k__BackingField"));
            var next = ArrayBytes(o.ReadObjectField("_nextRenderTree"));
            var v = d.GetValueOrDefault(name);
            d[name] = (v.N + 1, v.Cur + cur, v.Next + next, v.Two + (cur > 0 && next > 0 ? 1 : 0));
        }
        Console.WriteLine($"components {d.Values.Sum(v => v.N)}, current {d.Values.Sum(v => v.Cur) / 1024} KB, next {d.Values.Sum(v => v.Next) / 1024} KB");
        foreach (var kv in d.OrderByDescending(kv => kv.Value.Cur + kv.Value.Next))
            Console.WriteLine($"{kv.Value.N,6} {kv.Value.Cur / 1024.0,9:0.0} KB {kv.Value.Next / 1024.0,9:0.0} KB two:{kv.Value.Two,5} {kv.Key}");
    }
    public static void Strings(string path)
    {
        using var dt = DataTarget.LoadDump(path);
        var rt = dt.ClrVersions[0].CreateRuntime();
        var d = new Dictionary<string, (int N, long S)>();
        foreach (var o in rt.Heap.EnumerateObjects())
        {
            if (!o.IsValid || o.Type?.Name != "System.String") continue;
            var s = o.AsString(80) ?? "";
            var k = s.Length > 60 ? s[..60] : s;
            var v = d.GetValueOrDefault(k);
            d[k] = (v.N + 1, v.S + (long)o.Size);
        }
        foreach (var kv in d.OrderByDescending(kv => kv.Value.S).Take(60))
            Console.WriteLine($"{kv.Value.S / 1024.0,9:0.0} KB {kv.Value.N,6} {kv.Key.Replace("\n", " ")}");
    }
}
