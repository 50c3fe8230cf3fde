using Platform.Core.Access;
using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.Access;

/// <summary>
/// The records a command's references and lookups may name: those of the target entity the caller may read. A record
/// outside that scope is looked up as if it did not exist, so the answer is the same as for a missing id or number —
/// a reference cannot probe another department's records and a lookup cannot copy their data into a new record.
/// </summary>
public sealed class LookupScope
{
    private readonly AppDefinition app;
    private readonly Caller caller;

    private LookupScope(AppDefinition app, Caller caller)
    {
        this.app = app;
        this.caller = caller;
    }

    /// <summary>The caller's scope over the app's entities; null when they may read every record (administrators).</summary>
    public static LookupScope? For(AppDefinition app, Caller caller) => caller.IsAdmin ? null : new LookupScope(app, caller);

    /// <summary>The read scope on <paramref name="entityKey"/> as a condition over <c>records</c>; null when every row may be read.</summary>
    public string? Predicate(string entityKey, Func<object, string> param)
    {
        if (app.FindEntity(entityKey) is not { } entity)
        {
            return "false";
        }

        return RowScopeSql.Predicate(entity, EntityAccess.For(entity, caller).Read, caller, "records", param);
    }
}
