namespace Platform.Core.Flows.Calendars;

/// <summary>A working period of a day, e.g. 09:00–12:00. An end of 00:00 means midnight at the end of the day.</summary>
public sealed record WorkingPeriod(TimeOnly Start, TimeOnly End)
{
    internal TimeSpan StartOffset => Start.ToTimeSpan();

    internal TimeSpan EndOffset => End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : End.ToTimeSpan();
}
