namespace Platform.Runtime.Hosting.DemoData;

/// <summary>The pinyin of common surnames and given-name syllables, for e-mail addresses that read like a Chinese customer's own.</summary>
internal static class DemoPinyin
{
    public static readonly IReadOnlyDictionary<string, string> Surnames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["王"] = "wang", ["李"] = "li", ["张"] = "zhang", ["刘"] = "liu", ["陈"] = "chen", ["杨"] = "yang", ["黄"] = "huang", ["赵"] = "zhao",
        ["吴"] = "wu", ["周"] = "zhou", ["徐"] = "xu", ["孙"] = "sun", ["马"] = "ma", ["朱"] = "zhu", ["胡"] = "hu", ["郭"] = "guo",
        ["何"] = "he", ["高"] = "gao", ["林"] = "lin", ["罗"] = "luo", ["郑"] = "zheng", ["梁"] = "liang", ["谢"] = "xie", ["宋"] = "song",
        ["唐"] = "tang", ["许"] = "xu", ["韩"] = "han", ["冯"] = "feng", ["邓"] = "deng", ["曹"] = "cao", ["彭"] = "peng", ["曾"] = "zeng",
        ["肖"] = "xiao", ["田"] = "tian", ["董"] = "dong", ["袁"] = "yuan", ["潘"] = "pan", ["于"] = "yu", ["蒋"] = "jiang", ["蔡"] = "cai",
        ["余"] = "yu", ["杜"] = "du", ["叶"] = "ye", ["程"] = "cheng", ["苏"] = "su", ["魏"] = "wei", ["吕"] = "lv", ["丁"] = "ding",
        ["任"] = "ren", ["沈"] = "shen", ["姚"] = "yao", ["卢"] = "lu", ["姜"] = "jiang", ["崔"] = "cui", ["钟"] = "zhong", ["谭"] = "tan",
        ["陆"] = "lu", ["汪"] = "wang", ["范"] = "fan", ["金"] = "jin", ["石"] = "shi", ["廖"] = "liao", ["贾"] = "jia", ["夏"] = "xia",
        ["韦"] = "wei", ["付"] = "fu", ["方"] = "fang", ["白"] = "bai", ["邹"] = "zou", ["孟"] = "meng", ["熊"] = "xiong", ["秦"] = "qin",
        ["邱"] = "qiu", ["江"] = "jiang", ["尹"] = "yin", ["薛"] = "xue", ["闫"] = "yan", ["段"] = "duan", ["雷"] = "lei", ["侯"] = "hou",
        ["龙"] = "long", ["史"] = "shi", ["陶"] = "tao", ["黎"] = "li", ["贺"] = "he", ["顾"] = "gu", ["毛"] = "mao", ["郝"] = "hao",
        ["龚"] = "gong", ["邵"] = "shao", ["万"] = "wan", ["钱"] = "qian", ["严"] = "yan", ["覃"] = "qin", ["武"] = "wu", ["戴"] = "dai",
        ["莫"] = "mo", ["孔"] = "kong", ["向"] = "xiang", ["汤"] = "tang", ["欧阳"] = "ouyang", ["司马"] = "sima", ["上官"] = "shangguan",
    };

    public static readonly IReadOnlyList<string> Syllables =
        ["wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie", "tao", "ming", "chao", "xia", "ping", "gang", "hui", "hao", "xin", "yu", "ting", "bo"];
}
