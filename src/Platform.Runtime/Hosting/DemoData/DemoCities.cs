namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// The cities the demo customers live in, by sales region, each with its province and districts that really belong to
/// it, so every generated address reads like a real one (宁波市鄞州区, never 宁波市武侯区).
/// </summary>
public static class DemoCities
{
    public static readonly IReadOnlyList<DemoCity> All =
    [
        new("east", null, "上海", ["浦东新区", "黄浦区", "徐汇区", "静安区", "长宁区", "闵行区", "杨浦区"]),
        new("east", "浙江省", "杭州", ["西湖区", "上城区", "拱墅区", "滨江区", "余杭区", "萧山区"]),
        new("east", "江苏省", "南京", ["玄武区", "秦淮区", "鼓楼区", "建邺区", "江宁区", "栖霞区"]),
        new("east", "江苏省", "苏州", ["姑苏区", "吴中区", "相城区", "虎丘区", "吴江区"]),
        new("east", "浙江省", "宁波", ["海曙区", "江北区", "鄞州区", "北仑区", "镇海区"]),
        new("east", "安徽省", "合肥", ["蜀山区", "包河区", "庐阳区", "瑶海区"]),
        new("south", "广东省", "广州", ["天河区", "越秀区", "海珠区", "白云区", "番禺区", "荔湾区"]),
        new("south", "广东省", "深圳", ["南山区", "福田区", "罗湖区", "宝安区", "龙岗区", "龙华区"]),
        new("south", "广东省", "东莞", ["莞城街道", "南城街道", "东城街道", "松山湖"]),
        new("south", "广东省", "佛山", ["禅城区", "南海区", "顺德区", "三水区"]),
        new("south", "福建省", "厦门", ["思明区", "湖里区", "集美区", "海沧区"]),
        new("south", "广西壮族自治区", "南宁", ["青秀区", "兴宁区", "西乡塘区", "江南区"]),
        new("north", null, "北京", ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"]),
        new("north", null, "天津", ["和平区", "河西区", "南开区", "河东区", "滨海新区"]),
        new("north", "河北省", "石家庄", ["长安区", "桥西区", "新华区", "裕华区"]),
        new("north", "山东省", "济南", ["历下区", "市中区", "槐荫区", "历城区"]),
        new("north", "山东省", "青岛", ["市南区", "市北区", "崂山区", "黄岛区", "李沧区"]),
        new("north", "山西省", "太原", ["小店区", "迎泽区", "杏花岭区", "万柏林区"]),
        new("central", "湖北省", "武汉", ["江汉区", "武昌区", "洪山区", "江岸区", "汉阳区"]),
        new("central", "湖南省", "长沙", ["岳麓区", "芙蓉区", "天心区", "开福区", "雨花区"]),
        new("central", "河南省", "郑州", ["金水区", "二七区", "中原区", "管城回族区"]),
        new("central", "江西省", "南昌", ["东湖区", "西湖区", "青山湖区", "红谷滩区"]),
        new("west", "四川省", "成都", ["武侯区", "锦江区", "青羊区", "金牛区", "成华区", "高新区"]),
        new("west", null, "重庆", ["渝中区", "江北区", "南岸区", "九龙坡区", "沙坪坝区", "渝北区"]),
        new("west", "陕西省", "西安", ["雁塔区", "碑林区", "莲湖区", "新城区", "未央区"]),
        new("west", "云南省", "昆明", ["五华区", "盘龙区", "官渡区", "西山区"]),
        new("west", "贵州省", "贵阳", ["南明区", "云岩区", "观山湖区", "花溪区"]),
    ];

    /// <summary>The cities of a region, in table order.</summary>
    public static IReadOnlyList<DemoCity> Of(string region) => All.Where(c => c.Region == region).ToList();
}
