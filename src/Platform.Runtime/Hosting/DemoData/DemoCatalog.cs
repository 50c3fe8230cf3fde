namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// The demo product range by category. Model numbers follow the Chinese conventions (BCD/BD fridges and freezers,
/// KFR air conditioners, XQG/XQB washers, CXW range hoods, JZT/JZY gas hobs, JSQ gas water heaters, WQP dishwashers)
/// or brand-like codes for small appliances; prices are what such a product costs in a shop.
/// </summary>
public static class DemoCatalog
{
    public static readonly IReadOnlyList<DemoProductType> Types =
    [
        new("对开门冰箱", "refrigeration", "advanced_refrigeration", ["BCD-5##WKPZM", "BCD-6##WPGX"], 3999, 12999, false),
        new("十字门冰箱", "refrigeration", "advanced_refrigeration", ["BCD-4##WGHTDM", "BCD-5##WLHFD"], 3499, 9999, false),
        new("风冷无霜冰箱", "refrigeration", "advanced_refrigeration", ["BCD-2##WDPV", "BCD-3##WMB"], 1999, 5999, false),
        new("卧式冷柜", "refrigeration", "advanced_refrigeration", ["BD/BC-1##HEM", "BD/BC-3##DTX"], 1299, 3999, false),
        new("变频空调挂机", "refrigeration", "advanced_refrigeration", ["KFR-26GW/N8##A1", "KFR-35GW/BP3##"], 2299, 4999, true),
        new("柜式空调", "refrigeration", "advanced_refrigeration", ["KFR-50LW/N8##A1", "KFR-72LW/BP3##"], 4999, 8999, true),
        new("嵌入式洗碗机", "kitchen", "kitchen", ["WQP12-W5##", "WQP15-J7##"], 2999, 6999, true),
        new("侧吸式油烟机", "kitchen", "kitchen", ["CXW-2##-J##", "CXW-3##-E##"], 1299, 5999, true),
        new("燃气灶", "kitchen", "kitchen", ["JZT-Q2##B", "JZY-Q6##"], 799, 2999, true),
        new("燃气热水器", "kitchen", "kitchen", ["JSQ25-13##", "JSQ30-16##"], 1299, 4999, true),
        new("净水器", "kitchen", "kitchen", ["MRO###-4", "MRC###-600G"], 1299, 4999, true),
        new("滚筒洗衣机", "laundry", "laundry", ["XQG100-BD##", "XQG80-B##"], 1499, 6999, false),
        new("洗烘一体机", "laundry", "laundry", ["XQG100-HBD##", "XQG120-HB##"], 2999, 8999, false),
        new("热泵干衣机", "laundry", "laundry", ["GDNE10-##", "GBN100-6##"], 2999, 7999, false),
        new("波轮洗衣机", "laundry", "laundry", ["XQB80-##", "XQB100-M##"], 999, 2999, false),
        new("电饭煲", "small", "basic_repair", ["MB-FB40S##", "FB-30F##"], 199, 1299, false),
        new("空气炸锅", "small", "basic_repair", ["KZ-E5##", "KZ-C6##"], 199, 699, false),
        new("破壁机", "small", "basic_repair", ["PB-L18##", "PB-D5##"], 299, 1999, false),
        new("扫地机器人", "small", "basic_repair", ["RV-X##", "RV-T##Pro"], 1299, 4999, false),
        new("电热水壶", "small", "basic_repair", ["SWF-17E##", "ZK-15S##"], 99, 399, false),
        new("吸尘器", "small", "basic_repair", ["VC-H##", "VC-V##"], 499, 2999, false),
        new("智能门锁", "other", "basic_repair", ["S#0", "K#0 Pro"], 999, 3999, true),
        new("除湿机", "other", "basic_repair", ["CF##BD/N7", "CF##BD/N3"], 999, 2999, false),
        new("空气净化器", "other", "basic_repair", ["KJ5##G-H##", "KJ7##F-L##"], 999, 4999, false),
    ];

    /// <summary>The product type named at the start of a demo product's name (<c>电饭煲 MB-FB40S12</c>).</summary>
    public static DemoProductType Of(string productName) =>
        Types.First(t => productName.StartsWith(t.Name + " ", StringComparison.Ordinal));
}
