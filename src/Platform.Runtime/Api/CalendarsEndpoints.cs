using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Flows.Calendars;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>Business calendars (working hours, holidays, 调休 make-up days) that deadlines count on; administrators edit them.</summary>
public static class CalendarsEndpoints
{
    public static RouteGroupBuilder MapCalendarsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/calendars").RequireAuthorization().WithTags("Calendars");
        group.MapGet("/{key}", GetAsync).WithName("GetCalendar");
        group.MapPut("/{key}", PutAsync).WithName("PutCalendar").RequireAuthorization(PlatformRoles.AdminPolicy);
        return group;
    }

    private static async Task<IResult> GetAsync(string key, [FromServices] CalendarCatalog calendars, CancellationToken ct) =>
        TypedResults.Text(JsonSerializer.Serialize(await calendars.GetAsync(key, ct), MetadataJson.Options), "application/json; charset=utf-8");

    private static async Task<IResult> PutAsync(string key, HttpContext http, [FromServices] CalendarCatalog calendars, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        BusinessCalendar calendar;
        try
        {
            calendar = body!.Deserialize<BusinessCalendar>(MetadataJson.Options)! with { Key = key };
        }
        catch (JsonException e)
        {
            return Problems.Validation(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body", e.Message);
        }

        var bad = calendar.WorkingHours.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.End != TimeOnly.MinValue && x.p.End <= x.p.Start);
        if (bad.p is not null)
        {
            return Problems.Validation($"workingHours[{bad.i}]", "结束时间必须晚于开始时间");
        }

        if (calendar.WorkDays.Count == 0 && calendar.MakeUpWorkdays.Count == 0)
        {
            return Problems.Validation("workDays", "日历没有任何工作日");
        }

        await calendars.SaveAsync(calendar, ct);
        return TypedResults.Ok(calendar);
    }
}
