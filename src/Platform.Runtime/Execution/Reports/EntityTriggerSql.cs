using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// A generated plpgsql trigger function that keeps derived rows of one entity in the writing transaction (report projections,
/// rollups), with the two row triggers on records that call it for that entity only: <c>{name}_w</c> after insert or update
/// (<c>new</c> of the entity) and <c>{name}_d</c> after delete (<c>old</c>). The body is static SQL, so plpgsql prepares each
/// statement once per session and reuses its plan, unlike <c>execute</c> of a text.
/// </summary>
public static class EntityTriggerSql
{
    /// <summary>
    /// The statements that create or replace the function <paramref name="function"/> with <paramref name="body"/> (the text
    /// between <c>as $…$</c> and <c>$…$</c>: declarations, <c>begin … end</c>) and its triggers named from <paramref name="triggers"/>.
    /// Replacing the function keeps its triggers: a session sees the new body from its next write.
    /// </summary>
    public static IReadOnlyList<string> Create(string function, string triggers, string app, string entity, string body)
    {
        var name = SqlIdentifiers.Name(function);
        var appLiteral = SqlIdentifiers.Literal(app);
        var entityLiteral = SqlIdentifiers.Literal(entity);
        return
        [
            $"create or replace function {name}() returns trigger language plpgsql as {DollarQuoted(body)}",
            $"create or replace trigger {SqlIdentifiers.Name(triggers + "_w")} after insert or update on records for each row when (new.app_key = {appLiteral} and new.entity_key = {entityLiteral}) execute function {name}()",
            $"create or replace trigger {SqlIdentifiers.Name(triggers + "_d")} after delete on records for each row when (old.app_key = {appLiteral} and old.entity_key = {entityLiteral}) execute function {name}()",
        ];
    }

    /// <summary>The statements that remove the triggers and the function (if they exist).</summary>
    public static IReadOnlyList<string> Drop(string function, string triggers) =>
    [
        $"drop trigger if exists {SqlIdentifiers.Name(triggers + "_w")} on records",
        $"drop trigger if exists {SqlIdentifiers.Name(triggers + "_d")} on records",
        $"drop function if exists {SqlIdentifiers.Name(function)}()",
    ];

    /// <summary>A SQL string literal of any text (standard_conforming_strings: only the quote is doubled).</summary>
    public static string Text(string value) =>
        value.Contains('\0', StringComparison.Ordinal) ? throw new ArgumentException("A SQL literal cannot hold NUL.", nameof(value)) : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The body dollar-quoted with a tag it does not contain (literals in it may hold any text, "$$" included).</summary>
    private static string DollarQuoted(string body)
    {
        var tag = "$body$";
        for (var i = 1; body.Contains(tag, StringComparison.Ordinal); i++)
        {
            tag = $"$body{i}$";
        }

        return tag + "\n" + body + "\n" + tag;
    }
}
