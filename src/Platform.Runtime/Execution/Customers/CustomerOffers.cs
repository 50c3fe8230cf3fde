using System.Text.Json.Nodes;
using Npgsql;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.PublicForms;

namespace Platform.Runtime.Execution.Customers;

/// <summary>
/// The per-record forms a customer's view of their requests offers: every enabled form about the request's entity whose
/// <see cref="PublicFormDefinition.OfferWhen"/> holds for the request and that is not answered yet, with a fresh signed
/// link. So a customer who lost the SMS can still rate a finished job from the tracking page or <c>/my</c>.
/// </summary>
public sealed class CustomerOffers(IExpressionEngine expressions, RecordFormLinks links, NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The offers of each record, in order (empty lists when the app has no offered form for its entity).</summary>
    public async Task<IReadOnlyList<IReadOnlyList<CustomerOffer>>> ForAsync(
        AppDefinition app, IReadOnlyList<(EntityDefinition Entity, Guid Id, JsonObject Data)> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(records);
        var offers = records.Select(_ => new List<CustomerOffer>()).ToList();
        var forms = app.PublicForms
            .Where(f => f.Enabled && f.OfferWhen is not null && f.SubjectField is not null)
            .Select(f => (Form: f, Entity: app.FindEntity(f.Entity)))
            .Where(f => f.Entity?.FindField(f.Form.SubjectField!)?.Reference is not null)
            .ToList();
        if (forms.Count == 0)
        {
            return offers;
        }

        NpgsqlConnection? connection = null;
        try
        {
            for (var i = 0; i < records.Count; i++)
            {
                var (entity, id, data) = records[i];
                foreach (var (form, formEntity) in forms)
                {
                    if (formEntity!.FindField(form.SubjectField!)!.Reference!.Entity != entity.Key || !Holds(form.OfferWhen!, entity, data))
                    {
                        continue;
                    }

                    connection ??= await dataSource.OpenConnectionAsync(ct);
                    var target = new RecordFormTarget(app, form, formEntity, entity, id, string.Empty);
                    if (!await PublicFormService.AnsweredAsync(connection, target, ct) && await links.CreateAsync(app, form.Key, id, ct) is { } url)
                    {
                        offers[i].Add(new CustomerOffer(form.Key, form.Title, form.TitleEn, url));
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return offers;
    }

    /// <summary>The condition over the record's fields; a failing expression offers nothing (the page must still open).</summary>
    private bool Holds(string condition, EntityDefinition entity, JsonObject data)
    {
        var variables = entity.Fields.ToDictionary(f => f.Key, f => data[f.Key], StringComparer.Ordinal);
        try
        {
            return expressions.EvaluateBool(condition, new ExpressionScope(variables, time.GetUtcNow()));
        }
        catch (ExpressionFault)
        {
            return false;
        }
    }
}
