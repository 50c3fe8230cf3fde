namespace Platform.Core.Flows.Runtime;

/// <summary>Why a command was refused; the runtime maps the kind to an HTTP status.</summary>
/// <param name="Kind">Which HTTP answer the refusal becomes.</param>
/// <param name="Message">The reason in Chinese, naming fields by their labels.</param>
/// <param name="Field">The field path the reason is about, used as the error key.</param>
public sealed record FlowError(FlowErrorKind Kind, string Message, string? Field = null)
{
    /// <summary>The reason in English, for a request in English; without it <see cref="Message"/> is used.</summary>
    public string? MessageEn { get; init; }

    /// <summary>The reason in the language asked for.</summary>
    public string MessageIn(bool english) => english && MessageEn is { } en ? en : Message;
}
