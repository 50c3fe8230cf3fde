using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Runtime.Tests.Flows;

/// <summary>
/// A steady stream of writes against a runtime, as its users would make them: customers created through the records API
/// (address <c>crash</c>, so each starts the test's approval flow and its webhook rule), repair requests submitted through
/// the public form, and cs01's open tasks approved. Only acknowledged (2xx) writes are recorded; failures are counted and
/// the stream carries on, paced so it neither spins against a dead database nor swamps the machine.
/// </summary>
internal sealed class WriteStream(HttpClient cs01, HttpClient anonymous, string repairFormToken)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(60);

    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> tasks = new();
    private readonly ConcurrentDictionary<string, bool> attempted = new();
    private readonly List<Task> workers = [];
    private int acknowledged;
    private int failed;
    private int created;

    public ConcurrentBag<string> CreatedRecords { get; } = [];

    public ConcurrentBag<string> Submitted { get; } = [];

    public ConcurrentBag<string> Approved { get; } = [];

    /// <summary>Status codes of the refused writes, with how many of each.</summary>
    public ConcurrentDictionary<int, int> FailureStatuses { get; } = new();

    public int Acknowledged => Volatile.Read(ref acknowledged);

    public int Failed => Volatile.Read(ref failed);

    public void Start()
    {
        workers.Add(Task.Run(() => LoopAsync(CreateAsync)));
        workers.Add(Task.Run(() => LoopAsync(SubmitAsync)));
        workers.Add(Task.Run(() => LoopAsync(ApproveAsync)));
        workers.Add(Task.Run(() => LoopAsync(ApproveAsync)));
    }

    public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Acknowledged < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {Acknowledged} of {count} writes acknowledged in {timeout.TotalSeconds:0} s ({Failed} failed)");
            }

            await Task.Delay(20);
        }
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    /// <summary>Runs <paramref name="write"/> until stopped; it answers true (acknowledged), false (failed) or null (no write made).</summary>
    private async Task LoopAsync(Func<Task<bool?>> write)
    {
        while (!stop.IsCancellationRequested)
        {
            bool? ok;
            try
            {
                ok = await write();
            }
            catch (HttpRequestException)
            {
                ok = false;
            }
            catch (TaskCanceledException)
            {
                ok = false;
            }

            if (ok is { } done)
            {
                Interlocked.Increment(ref done ? ref acknowledged : ref failed);
            }

            try
            {
                await Task.Delay(ok == false ? Pace * 3 : Pace, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool?> CreateAsync()
    {
        var i = Interlocked.Increment(ref created);
        using var response = await cs01.PostAsJsonAsync("/api/apps/after_sales/entities/customer/records", new
        {
            data = new { name = $"流客户{i}", phone = $"137{i:D8}", tier = "regular", region = "east", address = "crash" },
        });
        if (!response.IsSuccessStatusCode)
        {
            FailureStatuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            return false;
        }

        CreatedRecords.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        return true;
    }

    private async Task<bool?> SubmitAsync()
    {
        using var response = await anonymous.PostAsJsonAsync($"/api/public/forms/{repairFormToken}", new
        {
            data = new { type = "repair", customer_name = "流报修", phone = "13600001111", description = "洗衣机不转", region = "east", address = "上海市 1 号" },
        });
        if (!response.IsSuccessStatusCode)
        {
            FailureStatuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            return false;
        }

        Submitted.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["trackingNo"]!.GetValue<string>());
        return true;
    }

    private async Task<bool?> ApproveAsync()
    {
        if (!tasks.TryDequeue(out var task))
        {
            var open = await cs01.GetFromJsonAsync<JsonArray>("/api/tasks?limit=500");
            foreach (var id in open!.Select(t => t!["id"]!.GetValue<string>()).Where(id => attempted.TryAdd(id, true)))
            {
                tasks.Enqueue(id);
            }

            return null;
        }

        // A failed approval is not retried: whether it committed is unknown to the client, and the test checks only acknowledged ones.
        using var response = await cs01.PostAsJsonAsync($"/api/tasks/{task}/actions", new { action = "approve" });
        if (!response.IsSuccessStatusCode)
        {
            FailureStatuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            return false;
        }

        Approved.Add(task);
        return true;
    }
}
