using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Mobile;

namespace Platform.Runtime.Api;

/// <summary>
/// The phone view's field jobs (<c>/m</c>): <c>GET /api/mobile/jobs</c> (the caller's open field jobs, most urgent first),
/// <c>GET /api/mobile/jobs/{taskId}</c> (one job; 404 unless it is the caller's open task), part lines
/// <c>POST …/parts</c> <c>{ part, quantity }</c> → 201 the new record, <c>DELETE …/parts/{id}</c> → 204, and
/// <c>GET …/parts/options?q=</c> (parts to pick). Photos, the signature and completion go through
/// <c>POST /api/tasks/{taskId}/actions</c> with the step's fields.
/// </summary>
public static class MobileEndpoints
{
    public static RouteGroupBuilder MapMobileApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/mobile/jobs").RequireAuthorization().WithTags("Mobile");
        group.MapGet("/", async (HttpContext http, [FromServices] MobileJobs jobs, CancellationToken ct) => TypedResults.Ok(await jobs.JobsAsync(http.User, ct)))
            .WithName("ListMobileJobs");
        group.MapGet("/{taskId:guid}", GetAsync).WithName("GetMobileJob");
        group.MapGet("/{taskId:guid}/parts/options", OptionsAsync).WithName("SearchMobileJobParts");
        group.MapPost("/{taskId:guid}/parts", AddPartAsync).WithName("AddMobileJobPart");
        group.MapDelete("/{taskId:guid}/parts/{lineId:guid}", RemovePartAsync).WithName("RemoveMobileJobPart");
        return group;
    }

    private static async Task<IResult> GetAsync(Guid taskId, HttpContext http, [FromServices] MobileJobs jobs, CancellationToken ct) =>
        await jobs.JobAsync(taskId, http.User, ct) is { } job ? TypedResults.Ok(job) : NoJob(taskId);

    private static async Task<IResult> OptionsAsync(Guid taskId, [FromQuery] string? q, HttpContext http, [FromServices] MobileJobs jobs, CancellationToken ct) =>
        await jobs.SearchPartsAsync(taskId, q, http.User, ct) is { } options ? TypedResults.Ok(options) : NoJob(taskId);

    private static async Task<IResult> AddPartAsync(Guid taskId, HttpContext http, [FromServices] MobileJobs jobs, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var part = body!["part"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var result = await jobs.AddPartAsync(taskId, part, body["quantity"], http.User, ct);
        if (result.Outcome != CommandOutcome.Ok)
        {
            return RecordsEndpoints.ToProblem(result);
        }

        var (record, permit) = result.Value;
        return TypedResults.Created($"/api/apps/{record.AppKey}/entities/{record.EntityKey}/records/{record.Id}", RecordDto.From(permit.Visible(record)));
    }

    private static async Task<IResult> RemovePartAsync(Guid taskId, Guid lineId, HttpContext http, [FromServices] MobileJobs jobs, CancellationToken ct)
    {
        var result = await jobs.RemovePartAsync(taskId, lineId, http.User, ct);
        return result.Outcome == CommandOutcome.Ok ? TypedResults.NoContent() : RecordsEndpoints.ToProblem(result);
    }

    private static IResult NoJob(Guid taskId) => Problems.NotFound($"没有你的待办外勤工单 {taskId} / no open field job of yours");
}
