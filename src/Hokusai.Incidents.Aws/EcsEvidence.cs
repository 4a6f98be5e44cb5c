using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hokusai.Incidents.Aws;

/// <summary>
/// ECS objects (from DescribeServices / DescribeTasks, pulled or saved by the AWS CLI) as evidence:
/// each service event, each deployment state, the service's counts and each stopped task.
/// </summary>
public static class EcsEvidence
{
    /// <summary>Everything one service object says: events, deployments, counts.</summary>
    public static IEnumerable<Evidence> FromService(string incidentId, JsonElement service, string? cluster, IReadOnlyList<string> supports, DateTimeOffset now)
    {
        var name = Text(service, "serviceName") ?? LastSegment(Text(service, "serviceArn")) ?? "unknown-service";
        cluster ??= LastSegment(Text(service, "clusterArn")) ?? "default";
        var source = $"ecs:{cluster}/{name}";
        Dictionary<string, string> Attrs() => new() { [EvidenceAttributes.Cluster] = cluster, [EvidenceAttributes.Service] = name };

        if (service.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in events.EnumerateArray())
            {
                var id = Text(e, "id");
                var attrs = Attrs();
                if (id is not null)
                {
                    attrs[EvidenceAttributes.EventId] = id;
                }
                yield return new Evidence
                {
                    IncidentId = incidentId,
                    Kind = EvidenceKind.EcsEvent,
                    Source = source,
                    Time = Time(e, "createdAt"),
                    Title = "service event",
                    Content = Text(e, "message") ?? "",
                    Supports = supports,
                    Attributes = attrs,
                    DedupKey = id is not null ? "ecs-event:" + id : null,
                };
            }
        }

        if (service.TryGetProperty("deployments", out var deployments) && deployments.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in deployments.EnumerateArray())
            {
                var text = new StringBuilder();
                text.Append(CultureInfo.InvariantCulture, $"deployment {Text(d, "id") ?? "?"} {Text(d, "status") ?? "?"}");
                if (Text(d, "rolloutState") is { } rollout)
                {
                    text.Append(CultureInfo.InvariantCulture, $", rollout {rollout}");
                    if (Text(d, "rolloutStateReason") is { } reason)
                    {
                        text.Append(CultureInfo.InvariantCulture, $" ({reason})");
                    }
                }
                text.Append(CultureInfo.InvariantCulture,
                    $"; running {Number(d, "runningCount")} of {Number(d, "desiredCount")} desired, pending {Number(d, "pendingCount")}, failed tasks {Number(d, "failedTasks")}");
                if (Text(d, "taskDefinition") is { } taskDef)
                {
                    text.Append(CultureInfo.InvariantCulture, $"; task definition {LastSegment(taskDef)}");
                }
                var deploymentId = Text(d, "id");
                var attrs = Attrs();
                if (deploymentId is not null)
                {
                    attrs[EvidenceAttributes.DeploymentId] = deploymentId;
                }
                // Kept apart from the item's time (the last update), so a timeline can say when the rollout began.
                if (Time(d, "createdAt") is { } created)
                {
                    attrs[EvidenceAttributes.DeploymentCreatedAt] = TimeInput.Format(created);
                }
                if (Text(d, "rolloutState") is { } state)
                {
                    attrs[EvidenceAttributes.RolloutState] = state;
                }
                yield return new Evidence
                {
                    IncidentId = incidentId,
                    Kind = EvidenceKind.EcsEvent,
                    Source = source,
                    Time = Time(d, "updatedAt") ?? Time(d, "createdAt"),
                    Title = "deployment",
                    Content = text.ToString(),
                    Supports = supports,
                    Attributes = attrs,
                    // One deployment is one item, updated as its rollout moves on (see EcsStateUpdates).
                    DedupKey = deploymentId is not null ? $"{EcsStateUpdates.DeploymentKeyPrefix}{cluster}/{name}/{deploymentId}" : null,
                };
            }
        }

        if (service.TryGetProperty("desiredCount", out _))
        {
            var counts = $"service {name} {Text(service, "status") ?? ""}: running {Number(service, "runningCount")} of {Number(service, "desiredCount")} desired, pending {Number(service, "pendingCount")}";
            yield return new Evidence
            {
                IncidentId = incidentId,
                Kind = EvidenceKind.EcsEvent,
                Source = source,
                Time = now,
                Title = "service counts",
                Content = counts,
                Supports = supports,
                Attributes = Attrs(),
                // The same counts seen twice are one observation, whenever they were seen.
                DedupKey = $"ecs-counts:{cluster}/{name}:{counts}",
            };
        }
    }

    /// <summary>A task as last seen: its status and, once it stops, why it stopped and how each container exited.</summary>
    public static Evidence FromTask(string incidentId, JsonElement task, string? cluster, string? service, IReadOnlyList<string> supports)
    {
        var arn = Text(task, "taskArn") ?? "unknown-task";
        cluster ??= LastSegment(Text(task, "clusterArn")) ?? "default";
        var group = Text(task, "group");
        service ??= group is not null && group.StartsWith("service:", StringComparison.Ordinal) ? group["service:".Length..] : group;
        var text = new StringBuilder();
        var status = Text(task, "lastStatus");
        text.Append(CultureInfo.InvariantCulture, $"task {LastSegment(arn)} {status ?? "?"}");
        if (Text(task, "stopCode") is { } stopCode)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({stopCode})");
        }
        if (Text(task, "stoppedReason") is { } reason)
        {
            text.Append(CultureInfo.InvariantCulture, $": {reason}");
        }
        if (task.TryGetProperty("containers", out var containers) && containers.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in containers.EnumerateArray())
            {
                text.Append(CultureInfo.InvariantCulture, $"\ncontainer {Text(c, "name") ?? "?"} {Text(c, "lastStatus") ?? ""}");
                if (c.TryGetProperty("exitCode", out var exit) && exit.ValueKind == JsonValueKind.Number)
                {
                    text.Append(CultureInfo.InvariantCulture, $" exit code {exit.GetRawText()}");
                }
                if (Text(c, "reason") is { } why)
                {
                    text.Append(CultureInfo.InvariantCulture, $": {why}");
                }
            }
        }
        var attrs = new Dictionary<string, string> { [EvidenceAttributes.Cluster] = cluster, [EvidenceAttributes.TaskArn] = arn };
        if (service is not null)
        {
            attrs[EvidenceAttributes.Service] = service;
        }
        if (Text(task, "stopCode") is { } code)
        {
            attrs[EvidenceAttributes.StopCode] = code;
        }
        if (status is not null)
        {
            attrs[EvidenceAttributes.TaskStatus] = status;
        }
        return new Evidence
        {
            IncidentId = incidentId,
            Kind = EvidenceKind.EcsEvent,
            Source = $"ecs:{cluster}/{service ?? "tasks"}",
            Time = Time(task, "stoppedAt") ?? Time(task, "stoppingAt") ?? Time(task, "executionStoppedAt") ?? Time(task, "createdAt"),
            Title = TaskTitle(status),
            Content = text.ToString(),
            Supports = supports,
            Attributes = attrs,
            DedupKey = EcsStateUpdates.TaskKeyPrefix + arn,
        };
    }

    /// <summary>Only a task that has stopped is called stopped; one on its way down is stopping.</summary>
    public static string TaskTitle(string? lastStatus) => EcsStateUpdates.TaskStage(lastStatus) switch
    {
        >= EcsStateUpdates.StoppedStage => "stopped task",
        >= EcsStateUpdates.StoppingStage => "stopping task",
        EcsStateUpdates.RunningStage => "running task",
        _ => "task",
    };

    /// <summary>The <c>failures</c> of a Describe call, e.g. (arn, MISSING).</summary>
    public static IEnumerable<(string Arn, string Reason)> Failures(JsonElement root)
    {
        if (root.TryGetProperty("failures", out var failures) && failures.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in failures.EnumerateArray())
            {
                yield return (Text(f, "arn") ?? "?", Text(f, "reason") ?? "unknown" + (Text(f, "detail") is { } d ? $" ({d})" : ""));
            }
        }
    }

    internal static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "?";

    private static DateTimeOffset? Time(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? AwsTime.FromSeconds(v) : null;

    internal static string? LastSegment(string? arn) => arn is null ? null : arn[(arn.LastIndexOf('/') + 1)..];
}
