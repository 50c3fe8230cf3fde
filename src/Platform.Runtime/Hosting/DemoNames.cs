namespace Platform.Runtime.Hosting;

/// <summary>Fixed names so demo users and the engineer records match.</summary>
internal static class DemoNames
{
    public static readonly string[] Engineers =
    [
        "周立伟", "吴海涛", "郑志强", "孙浩然", "马俊杰", "朱文博", "胡建华", "郭明辉", "何国栋", "高志远",
        "林海峰", "罗振宇", "梁晓东", "宋家豪", "谢天明", "韩子轩", "唐永刚", "冯伟民", "董卫东", "曹金龙",
    ];
}
