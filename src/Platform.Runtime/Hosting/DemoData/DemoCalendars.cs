using Platform.Core.Flows.Calendars;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// When the demo people work (China time), so planned actions land in working hours: customer service 08:00–22:00
/// every day, the warehouse Monday to Saturday, engineers 08:00–20:00 every day, supervisor, finance and quality on
/// the office calendar (the built-in China calendar with its holidays).
/// </summary>
internal static class DemoCalendars
{
    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    public static BusinessCalendar CustomerService { get; } = new()
    {
        Key = "demo-customer-service", WorkDays = EveryDay, WorkingHours = [new(new TimeOnly(8, 0), new TimeOnly(22, 0))],
    };

    public static BusinessCalendar Warehouse { get; } = new()
    {
        Key = "demo-warehouse",
        WorkDays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
        WorkingHours = [new(new TimeOnly(8, 30), new TimeOnly(12, 0)), new(new TimeOnly(13, 0), new TimeOnly(17, 30))],
    };

    public static BusinessCalendar Engineers { get; } = new()
    {
        Key = "demo-engineers", WorkDays = EveryDay, WorkingHours = [new(new TimeOnly(8, 0), new TimeOnly(20, 0))],
    };

    public static BusinessCalendar Office => BusinessCalendar.ChinaDefault;
}
