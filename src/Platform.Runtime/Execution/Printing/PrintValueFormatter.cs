using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Printing;
using Platform.Runtime.Execution.Exports;

namespace Platform.Runtime.Execution.Printing;

/// <summary>
/// Print values formatted like exports and record screens (<see cref="ExportCells"/>: option labels, 是/否, China time,
/// referenced records and users by name), with numbers written for paper: money and scaled numbers with thousands
/// separators and their decimals. Names come from <see cref="ExportLookups"/>, resolved before rendering.
/// </summary>
public sealed class PrintValueFormatter(AppDefinition app, ExportLookups lookups) : IPrintFormatter
{
    private readonly ConditionalWeakTable<IReadOnlyList<FieldDefinition>, Dictionary<string, ExportFieldPlan>> plans = [];

    /// <summary>The names <paramref name="data"/> of a record with <paramref name="fields"/> will need (sub-table rows included).</summary>
    public void Collect(IReadOnlyList<FieldDefinition> fields, JsonObject data)
    {
        foreach (var plan in PlansOf(fields).Values)
        {
            ExportCells.Collect(plan, data[plan.Key], lookups);
        }
    }

    public string? Format(FieldDefinition field, IReadOnlyList<FieldDefinition> siblings, JsonNode? value)
    {
        if (!PlansOf(siblings).TryGetValue(field.Key, out var plan))
        {
            return value?.ToString();
        }

        return ExportCells.Format(plan, value, lookups) switch
        {
            null => null,
            decimal d when field.Type == "money" => d.ToString("#,##0." + new string('0', field.Scale ?? 2), CultureInfo.InvariantCulture),
            decimal d when field.Scale is { } scale && field.Type is "number" or "formula" =>
                d.ToString(scale > 0 ? "#,##0." + new string('0', scale) : "#,##0", CultureInfo.InvariantCulture),
            decimal d => d.ToString("0.##########", CultureInfo.InvariantCulture),
            var text => Convert.ToString(text, CultureInfo.InvariantCulture),
        };
    }

    private Dictionary<string, ExportFieldPlan> PlansOf(IReadOnlyList<FieldDefinition> fields) =>
        plans.GetValue(fields, f => ExportFieldPlan.For(app, f).ToDictionary(p => p.Key, StringComparer.Ordinal));
}
