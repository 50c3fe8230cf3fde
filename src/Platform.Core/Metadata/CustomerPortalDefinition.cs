namespace Platform.Core.Metadata;

/// <summary>
/// The app's login-free customer self-service: which entities a customer may follow after verifying their phone
/// with a one-time SMS code (their requests, newest first, each with its tracking timeline), which of their fields
/// the customer may see, and the text of the code message. Signed tracking links open one record of these entities.
/// </summary>
public sealed record CustomerPortalDefinition
{
    /// <summary>The placeholder the code message must contain.</summary>
    public const string CodePlaceholder = "{code}";

    /// <summary>The code message when the app sets none.</summary>
    public const string DefaultCodeText = "您的验证码为 {code}，5 分钟内有效，用于查询办理进度。请勿告诉他人。";

    /// <summary>Off: no codes are sent, sessions and tracking links of this app stop working.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Heading of the customer pages (zh-CN first); default: the app's name.</summary>
    public string? Title { get; init; }

    public string? TitleEn { get; init; }

    /// <summary>The SMS that carries the code; must contain <see cref="CodePlaceholder"/>. Default <see cref="DefaultCodeText"/>.</summary>
    public string? CodeText { get; init; }

    /// <summary>The SMS provider's template id for the code message, when the provider needs one.</summary>
    public string? CodeTemplate { get; init; }

    /// <summary>The entities a customer can track, in the order their requests are merged.</summary>
    public IReadOnlyList<CustomerTrackedEntity> Entities { get; init; } = [];

    /// <summary>
    /// The tracked entities with their fields resolved: number and phone fall back to the entity's public form's
    /// tracking and phone fields. Entries that do not resolve (the validator reports them) are left out.
    /// </summary>
    public IReadOnlyList<CustomerTrackedEntityPlan> Resolve(AppDefinition app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var plans = new List<CustomerTrackedEntityPlan>();
        foreach (var tracked in Entities)
        {
            if (app.FindEntity(tracked.Entity) is not { } entity)
            {
                continue;
            }

            var form = app.PublicForms.FirstOrDefault(f => f.Entity == entity.Key && f.TrackingField is not null && f.PhoneField is not null);
            var number = entity.FindField(tracked.NumberField ?? form?.TrackingField ?? string.Empty);
            var phone = entity.FindField(tracked.PhoneField ?? form?.PhoneField ?? string.Empty);
            if (number is null || phone is null)
            {
                continue;
            }

            var type = tracked.TypeField is { } t ? entity.FindField(t) : null;
            var fields = tracked.Fields.Select(entity.FindField).OfType<FieldDefinition>().ToList();
            var status = app.Flows.FirstOrDefault(f => f.Entity == entity.Key)?.StatusField is { } s ? entity.FindField(s) : null;
            var summary = tracked.SummaryField is { } sf ? entity.FindField(sf) : null;
            plans.Add(new CustomerTrackedEntityPlan(entity, number, phone, type, status, fields, summary));
        }

        return plans;
    }

    /// <summary>The resolved plan for <paramref name="entity"/> when the portal is on and tracks it, else null.</summary>
    public static CustomerTrackedEntityPlan? Find(AppDefinition app, string entity)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.CustomerPortal is { Enabled: true } portal && portal.Entities.Any(e => e.Entity == entity)
            ? portal.Resolve(app).FirstOrDefault(p => p.Entity.Key == entity)
            : null;
    }
}
