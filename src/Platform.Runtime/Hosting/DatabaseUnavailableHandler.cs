using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Platform.Runtime.Hosting;

/// <summary>
/// Answers a request that failed because PostgreSQL could not be reached (server down, restarting, connection lost,
/// pool exhausted) with 503, <c>Retry-After</c> and a problem body, instead of a 500 with a stack trace in the log.
/// A deadlock or serialization failure (after the writes' own retries) says so: it was rolled back, nothing was saved.
/// The node itself carries on: the connection pool reconnects on the next request once the server is back.
/// </summary>
public sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || Unavailable(exception) is not { } cause)
        {
            return false;
        }

        logger.LogWarning("{Method} {Path}: database unavailable ({Error})", httpContext.Request.Method, httpContext.Request.Path, FirstLine(cause.InnerException?.Message ?? cause.Message));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A deadlock or serialization failure that outlasted the retries was rolled back whole: nothing was saved.
        var busy = Persistence.DeadlockRetry.IsRetryable(cause);
        await httpContext.Response.WriteAsJsonAsync(
            new
            {
                title = busy ? "Database busy / 数据库繁忙" : "Database unavailable / 数据库暂时不可用",
                status = StatusCodes.Status503ServiceUnavailable,
                detail = busy
                    ? "The write met concurrent writes of the same rows and was rolled back, so nothing of it was saved; retry shortly. / 写入与同时进行的其他写入冲突，已整体撤销，未保存任何内容；请稍后重试。"
                    : "The database cannot be reached right now; retry shortly. A write whose answer was lost may or may not have been saved: "
                    + "look it up before repeating it. / 数据库暂时无法连接，请稍后重试；写操作若未收到结果，请先查询是否已保存再重复提交。",
            },
            options: null,
            contentType: "application/problem+json",
            cancellationToken: cancellationToken);
        return true;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>The transient Npgsql failure behind <paramref name="exception"/> (EF Core and others wrap it), or null.</summary>
    public static NpgsqlException? Unavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }
}
