using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Platform.Core.Forms;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Access;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Ui;

/// <summary>
/// The records and users a form looks at while it is filled in: lookups through the same RecordStore query the
/// server's validation uses, reference search through the records list compiler, users from the user table.
/// Searches answer signed-in users only.
/// </summary>
public sealed class RecordLookups(AppCatalog catalog, RecordStore store, IDbContextFactory<PlatformDbContext> contexts, AuthenticationStateProvider auth, RecordAccess access) : IRecordLookups
{
    public async Task<IReadOnlyList<JsonObject?>> FindAsync(string app, IReadOnlyList<LookupRequest> requests, CancellationToken ct)
    {
        var valid = requests.Select(r => r.Field != "id" || Guid.TryParse(r.Value, out _)).ToList();
        var asked = requests.Where((_, i) => valid[i]).Select(r => (r.Entity, r.Field, r.Value)).ToList();

        // Signed in: only records the user may read, as the server's validation will check. The anonymous public form
        // page looks orders up by the number the customer holds, as its submission does.
        var principal = (await auth.GetAuthenticationStateAsync()).User;
        var scope = principal.Identity?.IsAuthenticated == true && await catalog.GetAsync(app, ct) is { } definition
            ? LookupScope.For(definition, await access.CallerAsync(principal, ct))
            : null;
        var found = await store.FindByFieldsAsync(app, asked, ct, scope is null ? null : scope.Predicate);
        var results = new JsonObject?[requests.Count];
        for (int i = 0, j = 0; i < requests.Count; i++)
        {
            results[i] = valid[i] ? found[j++]?.Data : null;
        }

        return results;
    }

    public async Task<IReadOnlyList<RecordOption>> SearchAsync(string app, string entity, string displayField, string? text, int limit, CancellationToken ct)
    {
        if (!await SignedInAsync())
        {
            return [];
        }

        var definition = (await catalog.GetAsync(app, ct))?.FindEntity(entity);
        if (definition is null || (definition.FindField(displayField) is null && displayField != "id"))
        {
            return [];
        }

        var filters = string.IsNullOrWhiteSpace(text) || displayField == "id" ? [] : new[] { $"{displayField}:contains:{text.Trim()}" };
        var permit = await access.ForAsync(definition, (await auth.GetAuthenticationStateAsync()).User, ct);
        var (query, _) = RecordQueryCompiler.Compile(app, permit.VisibleEntity, filters, displayField == "id" ? "-createdAt" : displayField, "1", Math.Clamp(limit, 1, 50).ToString());
        if (query is null)
        {
            return [];
        }

        var page = await store.ListAsync(permit.Restrict(query), ct);
        return page.Items.Select(r => new RecordOption(r.Id, FieldValues.AsText(r.Data[displayField]) is { Length: > 0 } title ? title : r.Id.ToString()[..8])).ToList();
    }

    public async Task<IReadOnlyList<UserOption>> SearchUsersAsync(string? text, int limit, CancellationToken ct)
    {
        if (!await SignedInAsync())
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking().Where(u => u.IsActive);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            users = users.Where(u => EF.Functions.ILike(u.UserName, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }

        return await users.OrderBy(u => u.UserName).Take(Math.Clamp(limit, 1, 50))
            .Select(u => new UserOption(u.UserName, u.DisplayName)).ToListAsync(ct);
    }

    private async Task<bool> SignedInAsync() => (await auth.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;
}
