namespace Hokusai.Incidents.Reports;

/// <summary>Which fix tasks to list across incidents.</summary>
public sealed record BacklogFilter
{
    public bool OpenOnly { get; init; }
    /// <summary>Owner, matched without regard to case.</summary>
    public string? Owner { get; init; }
    /// <summary>Open tasks whose due date has passed.</summary>
    public bool OverdueOnly { get; init; }
    /// <summary>Only tasks of incidents that affected this service.</summary>
    public string? Service { get; init; }
}

/// <summary>One fix task with the incident it belongs to.</summary>
public sealed record BacklogItem(string IncidentId, string IncidentTitle, IReadOnlyList<string> Services, FixTask Task, bool Overdue)
{
    public string Key => $"{IncidentId} {Task.Key}";
}

/// <summary>The action-item backlog: fix tasks across every incident, oldest due first.</summary>
public static class TaskBacklog
{
    public static IReadOnlyList<BacklogItem> Query(IEnumerable<Incident> incidents, BacklogFilter filter, DateOnly today) =>
        [.. incidents
            .Where(i => filter.Service is null || i.Components.Services.Contains(filter.Service, StringComparer.OrdinalIgnoreCase))
            .SelectMany(i => i.Tasks.Select(t => (
                Item: new BacklogItem(i.Id, i.Title, i.Components.Services, t, !t.Done && t.Due is { } due && due < today),
                Started: i.Times.Started ?? i.CreatedAt)))
            .Where(x => !filter.OpenOnly || !x.Item.Task.Done)
            .Where(x => !filter.OverdueOnly || x.Item.Overdue)
            .Where(x => filter.Owner is null || string.Equals(x.Item.Task.Owner, filter.Owner, StringComparison.OrdinalIgnoreCase))
            // Tasks without a due date come after every dated one; among equals, the older incident first.
            .OrderBy(x => x.Item.Task.Due is null)
            .ThenBy(x => x.Item.Task.Due)
            .ThenBy(x => x.Started)
            .ThenBy(x => x.Item.IncidentId, StringComparer.Ordinal)
            .ThenBy(x => x.Item.Task.Number)
            .Select(x => x.Item)];
}
