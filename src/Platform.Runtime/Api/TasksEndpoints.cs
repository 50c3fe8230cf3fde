using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Platform.Core.Metadata;
using Platform.Runtime.Execution;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Api;

/// <summary>The task inbox: <c>GET /api/tasks</c> and <c>POST /api/tasks/{id}/actions</c>.</summary>
public static class TasksEndpoints
{
    private static readonly HashSet<string> Boxes = ["todo", "done", "cc", "started"];

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tasks").RequireAuthorization().WithTags("Tasks");
        group.MapGet("/", ListAsync).WithName("ListTasks");
        group.MapPost("/{id:guid}/actions", ActAsync).WithName("ActOnTask");
        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext http, [FromQuery] string? box, [FromQuery] int? limit, [FromServices] InboxStore inbox, CancellationToken ct)
    {
        box ??= "todo";
        if (!Boxes.Contains(box))
        {
            return Problems.Validation("box", $"未知的列表 '{box}'：应为 todo, done, cc, started");
        }

        var size = Math.Clamp(limit ?? 100, 1, 500);
        var user = http.User;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        return TypedResults.Ok(await inbox.TasksAsync(box, user.Identity!.Name!, roles, size, ct));
    }

    private static async Task<IResult> ActAsync(Guid id, HttpContext http, [FromServices] FlowService flows, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        if (problem is not null)
        {
            return problem;
        }

        TaskActionRequest? request;
        try
        {
            request = body!.Deserialize<TaskActionRequest>(MetadataJson.Options);
        }
        catch (JsonException e)
        {
            return Problems.Validation(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body", "字段类型不正确 / wrong type: " + e.Message);
        }

        var result = await flows.ActAsync(id, request!, http.User, ct);
        return result.Outcome == CommandOutcome.Ok ? TypedResults.Ok(result.Value) : RecordsEndpoints.ToProblem(result);
    }
}
