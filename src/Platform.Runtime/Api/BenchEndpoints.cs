using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Api;

/// <summary>
/// Calibration only, mapped when <c>Platform:BenchEndpoints=true</c>: a bare authenticated endpoint doing one plain
/// insert, so bench/ can show how much of the records API's cost is the platform's own layers; the managed heap with
/// the open circuits, for the memory an idle browser tab costs the server; and the collections and pauses of the GC so far.
/// </summary>
public static class BenchEndpoints
{
    public static IEndpointRouteBuilder MapBenchApi(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Platform:BenchEndpoints"))
        {
            return routes;
        }

        routes.MapPost("/api/bench/bare-insert", async (HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            var (data, problem) = await JsonBody.ReadDataAsync(http.Request, ct);
            if (problem is not null)
            {
                return problem;
            }

            await using var cmd = dataSource.CreateCommand(
                "insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) values ($1, 'bench', 'bare', $2, 1, 1, now(), 'bench', now(), 'bench')");
            cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = data!.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await cmd.ExecuteNonQueryAsync(ct);
            return Results.Created();
        }).RequireAuthorization().ExcludeFromDescription();

        // Managed heap after full blocking collections, and the open circuits: the bench's memory per idle circuit.
        routes.MapGet("/api/bench/memory", () =>
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            return Results.Ok(new { managedBytes = GC.GetTotalMemory(forceFullCollection: true), workingSetBytes = Environment.WorkingSet, circuits = Ui.CircuitCounter.Open });
        }).RequireAuthorization(Security.PlatformRoles.AdminPolicy).ExcludeFromDescription();

        // Collections so far and the time the runtime was paused for them: the bench's share of a phase's tail latency that is GC.
        routes.MapGet("/api/bench/gc", () => Results.Ok(new
        {
            gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2), pauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
            heapBytes = GC.GetTotalMemory(forceFullCollection: false),
        })).RequireAuthorization().ExcludeFromDescription();
        return routes;
    }
}
