using System.Diagnostics;
using System.Text.Json;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

public sealed record EcsPullRequest
{
    public required string IncidentId { get; init; }
    public required string Cluster { get; init; }
    public required IReadOnlyList<string> Services { get; init; }
    public IReadOnlyList<string> Supports { get; init; } = [];
}

public sealed record EcsPullResult(int Services, long ServiceItems, long StoppedTasks, long Added, long Skipped, TimeSpan Elapsed, long Requests, long Throttles)
{
    /// <summary>Tasks and deployments stored before and seen now in a later state, updated in place (numbers and links kept).</summary>
    public IReadOnlyList<long> Updated { get; init; } = [];

    /// <summary>Tasks on their way to STOPPED (desired status STOPPED, last status not yet): stored, not counted as stopped.</summary>
    public long StoppingTasks { get; init; }

    /// <summary>Tasks ECS listed for a service that belong to another one (their group is not service:NAME); not stored.</summary>
    public long OtherServicesTasks { get; init; }
}

/// <summary>
/// Service events, deployments and counts (DescribeServices), and the stopped tasks of each service
/// (ListTasks STOPPED + DescribeTasks), each stored as it arrives: ECS keeps only 100 events and stopped
/// tasks for about an hour, so what we got must not wait for the rest.
/// </summary>
public sealed class EcsPuller(IIncidentStore store, EcsApi api, TimeProvider? clock = null)
{
    public async Task<EcsPullResult> PullAsync(EcsPullRequest request, CancellationToken cancellationToken)
    {
        store.Get(request.IncidentId);
        var watch = Stopwatch.StartNew();
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var errors = new List<AwsException>();
        long serviceItems = 0, tasks = 0, stopping = 0, added = 0, skipped = 0, foreign = 0;
        var found = new List<string>();
        var updated = new List<long>();
        void Store(IReadOnlyCollection<Evidence> items)
        {
            var r = EcsStateUpdates.Store(store, items);
            added += r.Added;
            skipped += r.Skipped;
            updated.AddRange(r.Updated);
        }

        foreach (var chunk in request.Services.Distinct().Chunk(10))
        {
            JsonDocument doc;
            try
            {
                doc = await api.DescribeServicesAsync(request.Cluster, chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsException e)
            {
                throw Name(e, request.Cluster, chunk.Length == 1 ? chunk[0] : null);
            }
            using (doc)
            {
                if (doc.RootElement.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Array)
                {
                    foreach (var service in services.EnumerateArray())
                    {
                        var items = EcsEvidence.FromService(request.IncidentId, service, request.Cluster, request.Supports, now).ToList();
                        serviceItems += items.Count;
                        Store(items);
                        found.Add(EcsEvidence.Text(service, "serviceName") ?? EcsEvidence.LastSegment(EcsEvidence.Text(service, "serviceArn"))!);
                    }
                }
                foreach (var (arn, reason) in EcsEvidence.Failures(doc.RootElement))
                {
                    errors.Add(new AwsException($"ECS service '{EcsEvidence.LastSegment(arn)}' in cluster '{request.Cluster}': {reason}", reason));
                }
            }
        }

        foreach (var service in found)
        {
            try
            {
                var arns = await api.ListStoppedTasksAsync(request.Cluster, service, cancellationToken).ConfigureAwait(false);
                foreach (var chunk in arns.Chunk(100))
                {
                    using var doc = await api.DescribeTasksAsync(request.Cluster, chunk, cancellationToken).ConfigureAwait(false);
                    if (doc.RootElement.TryGetProperty("tasks", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        var items = new List<Evidence>();
                        foreach (var t in list.EnumerateArray())
                        {
                            // ListTasks is asked for this service's tasks, but only the task's own group says whose it is.
                            if (EcsEvidence.Text(t, "group") is { } g && g != "service:" + service)
                            {
                                foreign++;
                                continue;
                            }
                            items.Add(EcsEvidence.FromTask(request.IncidentId, t, request.Cluster, service, request.Supports));
                        }
                        stopping += items.Count(t => t.Attributes.GetValueOrDefault(EvidenceAttributes.TaskStatus) != "STOPPED");
                        tasks += items.Count;
                        Store(items);
                    }
                }
            }
            catch (AwsException e)
            {
                errors.Add(Name(e, request.Cluster, service));
                if (e.GaveUpAfter is not null)
                {
                    break;
                }
            }
        }

        if (errors.Count > 0)
        {
            var first = errors[0];
            throw errors.Count == 1 ? first
                : new AwsException($"{first.Message} (and {errors.Count - 1} more error(s))", first.Code, first.HttpStatus, first) { GaveUpAfter = first.GaveUpAfter };
        }
        return new EcsPullResult(found.Count, serviceItems, tasks - stopping, added, skipped, watch.Elapsed, api.Client.Stats.Requests, api.Client.Stats.Throttles)
        {
            Updated = updated,
            OtherServicesTasks = foreign,
            StoppingTasks = stopping,
        };
    }

    private static AwsException Name(AwsException e, string cluster, string? service) =>
        e.Code == "ClusterNotFoundException" || service is null
            ? e.About($"ECS cluster '{cluster}'")
            : e.About($"ECS service '{service}' in cluster '{cluster}'");
}
