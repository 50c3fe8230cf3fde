namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// How busy a day (China time) is for a Chinese appliance brand, relative to an ordinary day: the shopping festivals of
/// 618 and 双11 (and 双12, 国庆) bring the orders, the Spring Festival empties the shops and the service desks, summer brings
/// the air-conditioner repairs. Returns and logistics claims follow the orders a few days later, so the demo's monthly
/// figures rise and fall as a real business's do.
/// </summary>
internal static class DemoSeason
{
    // 春节 (the first day of the lunar year); the quiet weeks run from a week before to two weeks after.
    private static readonly DateOnly[] SpringFestivals =
    [
        new(2023, 1, 22), new(2024, 2, 10), new(2025, 1, 29), new(2026, 2, 17), new(2027, 2, 6), new(2028, 1, 26),
        new(2029, 2, 13), new(2030, 2, 3), new(2031, 1, 23), new(2032, 2, 11),
    ];

    /// <summary>Orders placed on <paramref name="day"/>.</summary>
    public static double Orders(DateOnly day)
    {
        var weight = (day.Month, day.Day) switch
        {
            (6, <= 18) => 2.0, // 618
            (11, <= 11) => 3.5, // 双11
            (12, >= 10 and <= 12) => 1.6, // 双12
            (10, <= 7) => 1.3, // 国庆
            (7 or 8, _) => 1.15, // summer: air conditioners, fridges
            (3 or 9, _) => 0.85,
            _ => 1.0,
        };
        return weight * (InSpringFestival(day) ? 0.45 : 1.0);
    }

    /// <summary>Service requests opened on <paramref name="day"/>: installations and repairs after the sales, and the summer's cooling faults.</summary>
    public static double ServiceRequests(DateOnly day)
    {
        var summer = day.Month switch { 7 or 8 => 1.7, 6 => 1.3, 12 or 1 => 1.1, _ => 1.0 };
        return (0.5 * Orders(day.AddDays(-5)) + 0.5 * summer) * (InSpringFestival(day) ? 0.55 : 1.0);
    }

    /// <summary>Returns requested on <paramref name="day"/>: about a week after the purchases, a little more after the festivals' impulse buys.</summary>
    public static double Returns(DateOnly day)
    {
        var bought = day.AddDays(-7);
        return Orders(bought) * ((bought.Month, bought.Day) is (6, <= 18) or (11, <= 11) ? 1.15 : 1.0);
    }

    /// <summary>Logistics claims filed on <paramref name="day"/>: the parcels of a few days before, more in the festivals' rush.</summary>
    public static double LogisticsClaims(DateOnly day) => Math.Pow(Orders(day.AddDays(-3)), 1.2);

    /// <summary>
    /// How much busier than usual the service desks, warehouse and engineers are on <paramref name="day"/> (1 on an ordinary or
    /// quiet day, up to 2): their work takes longer, parts run short and fewer faults are fixed at the first visit.
    /// </summary>
    public static double Rush(DateOnly day) => Math.Clamp(Math.Max(ServiceRequests(day), Math.Sqrt(Returns(day))), 1.0, 2.0);

    private static bool InSpringFestival(DateOnly day) =>
        SpringFestivals.Any(festival => day >= festival.AddDays(-7) && day <= festival.AddDays(14));
}
