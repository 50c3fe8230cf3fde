using Microsoft.AspNetCore.Diagnostics;

namespace Platform.Runtime.Hosting;

/// <summary>
/// A body over the size limit, a body cut short, a malformed form or a failed antiforgery read surfaces as an exception wherever the body
/// is read; answer it as the client's mistake (413 / 400 problem), never as a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // Antiforgery wraps the body error it met while reading the form; the body error is the answer.
        var cause = exception;
        while (cause is Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException { InnerException: { } inner })
        {
            cause = inner;
        }

        var (status, title) = cause switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Request body too large / 请求体过大"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request / 请求无效"),
            InvalidDataException => (StatusCodes.Status400BadRequest, "Malformed or oversized form / 表单格式错误或过大"),
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => (StatusCodes.Status400BadRequest, "Antiforgery token missing or invalid / 请求校验失败"),
            _ => (0, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = cause.Message },
        });
    }
}
