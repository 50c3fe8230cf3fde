namespace Platform.Core.Rules.Definitions;

/// <summary>
/// One action of a rule: a registered <see cref="Type"/> (see <see cref="Actions.RuleActionRegistry"/>) and the
/// settings that type reads. Values written as expressions are evaluated against the triggering record;
/// texts (<see cref="Title"/>, <see cref="Text"/>, <see cref="Comment"/>) take <c>{{ expression }}</c> placeholders.
/// </summary>
public sealed record RuleActionDefinition
{
    public required string Type { get; init; }

    /// <summary>Runs the action only when this expression is true.</summary>
    public string? When { get; init; }

    /// <summary>
    /// Field key → expression: fields to set (set-fields, create-record, update-records, assign), or the step's input written
    /// onto the acted-on record (flow-approve, flow-reject).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    /// <summary>The entity to create in, update in or query (create-record, update-records, assign).</summary>
    public string? Entity { get; init; }

    /// <summary>Which records an update or an assignment considers.</summary>
    public IReadOnlyList<RuleQueryCondition>? Where { get; init; }

    /// <summary>The order candidates are weighed in (assign); the first wins.</summary>
    public IReadOnlyList<RuleQuerySort>? OrderBy { get; init; }

    /// <summary>
    /// adjust, flow-approve, flow-reject: the reference field of the triggering record naming the record to adjust (or whose
    /// flow to act on), or <c>self</c>.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>adjust: the numeric field to adjust.</summary>
    public string? Field { get; init; }

    /// <summary>adjust: an expression for the amount added (negative to subtract).</summary>
    public string? Delta { get; init; }

    /// <summary>Flow actions and assign: the step whose open task is acted on (default: the step that triggered).</summary>
    public string? Step { get; init; }

    /// <summary>Flow actions: the comment written into the history (template text).</summary>
    public string? Comment { get; init; }

    /// <summary>Who is told (notify, email, sms).</summary>
    public RuleRecipients? To { get; init; }

    public string? Title { get; init; }

    public string? Text { get; init; }

    /// <summary>robot: wecom | dingtalk | feishu.</summary>
    public string? Provider { get; init; }

    /// <summary>webhook and robot: the app's connector key.</summary>
    public string? Connector { get; init; }

    /// <summary>webhook and robot: an absolute URL, or a path below the connector's base URL.</summary>
    public string? Url { get; init; }

    /// <summary>webhook: HTTP method (default POST).</summary>
    public string? Method { get; init; }

    /// <summary>webhook: an expression whose value is the JSON body (default: the record).</summary>
    public string? Body { get; init; }

    /// <summary>assign: when no candidate qualifies, the task stays for these roles, who are told.</summary>
    public IReadOnlyList<string>? FallbackRoles { get; init; }

    /// <summary>update-records and assign: at most this many records.</summary>
    public int? Limit { get; init; }
}
