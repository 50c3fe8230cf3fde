using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.Runtime.Api;

/// <summary>problem+json responses with the shapes clients rely on.</summary>
public static class Problems
{
    /// <summary>422 with <c>errors: { field: [message] }</c>.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, IReadOnlyList<string>> errors, string? title = null) =>
        TypedResults.Problem(
            title: title ?? "One or more fields are invalid / 数据校验失败",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            type: "https://tools.ietf.org/html/rfc4918#section-11.2",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, IReadOnlyList<string>> { [field] = [message] });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found / 未找到", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict / 数据已被修改", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden / 无权操作", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(title: "Bad request / 请求格式错误", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult PreconditionRequired(string detail) =>
        TypedResults.Problem(title: "If-Match required / 缺少版本号", detail: detail, statusCode: StatusCodes.Status428PreconditionRequired);
}
