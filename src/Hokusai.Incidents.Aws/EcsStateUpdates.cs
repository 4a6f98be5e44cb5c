using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

/// <summary>What storing a batch of ECS evidence did.</summary>
public sealed record EcsStoreResult(int Added, int Skipped, IReadOnlyList<long> Updated);

/// <summary>
/// ECS tasks and deployments change after they are first stored: a task seen RUNNING or DEACTIVATING
/// later stops with a reason, exit codes and a stop time; a deployment's rollout completes or fails.
/// Seen again in a later state, the stored item is updated in place, keeping its number and its links
/// (so H#/T# references stay valid); seen again in the same or an earlier state (an older saved file),
/// it is left alone. Everything else is stored once, as before.
/// </summary>
public static class EcsStateUpdates
{
    public const string TaskKeyPrefix = "ecs-task:";
    public const string DeploymentKeyPrefix = "ecs-deployment:";

    public const int RunningStage = 4;
    public const int StoppingStage = 5;
    public const int StoppedStage = 8;

    /// <summary>How far along the ECS task lifecycle a lastStatus is (0 when unknown).</summary>
    public static int TaskStage(string? lastStatus) => lastStatus?.ToUpperInvariant() switch
    {
        "PROVISIONING" => 1,
        "PENDING" => 2,
        "ACTIVATING" => 3,
        "RUNNING" => RunningStage,
        "DEACTIVATING" => StoppingStage,
        "STOPPING" => 6,
        "DEPROVISIONING" => 7,
        "STOPPED" => StoppedStage,
        "DELETED" => 9,
        _ => 0,
    };

    /// <summary>Stores <paramref name="items"/>, updating tasks and deployments already stored in an earlier state.</summary>
    public static EcsStoreResult Store(IIncidentStore store, IReadOnlyCollection<Evidence> items)
    {
        var fresh = new List<Evidence>(items.Count);
        var updated = new List<long>();
        var skipped = 0;
        foreach (var item in items)
        {
            var stored = item.DedupKey is { } key && (key.StartsWith(TaskKeyPrefix, StringComparison.Ordinal) || key.StartsWith(DeploymentKeyPrefix, StringComparison.Ordinal))
                ? store.FindEvidenceByKey(item.IncidentId, key)
                : null;
            if (stored is null)
            {
                fresh.Add(item);
            }
            else if (IsLater(stored, item, store.Redactor.Redact(item.Content)))
            {
                store.UpdateEvidence(stored.IncidentId, stored.Number, before => item with
                {
                    Supports = [.. before.Supports.Union(item.Supports)],
                    Refutes = before.Refutes,
                    CollectedAt = before.CollectedAt,
                });
                updated.Add(stored.Number);
            }
            else
            {
                skipped++;
            }
        }
        var added = store.AddEvidence(fresh);
        return new EcsStoreResult(added.Added, skipped + added.Skipped, updated);
    }

    private static bool IsLater(Evidence stored, Evidence seen, string seenContent)
    {
        if (stored.Content == seenContent)
        {
            return false;
        }
        if (seen.DedupKey!.StartsWith(TaskKeyPrefix, StringComparison.Ordinal))
        {
            var before = TaskStage(StoredStatus(stored));
            var now = TaskStage(seen.Attributes.GetValueOrDefault(EvidenceAttributes.TaskStatus));
            return now >= before;
        }
        // A deployment: the later update wins; the same moment with other text is a newer look at it.
        return seen.Time is not { } t || stored.Time is not { } s || t >= s;
    }

    /// <summary>The status of a stored task; items stored before the attribute existed say it in their first line.</summary>
    private static string? StoredStatus(Evidence stored) =>
        stored.Attributes.GetValueOrDefault(EvidenceAttributes.TaskStatus)
        ?? stored.Content.Split('\n', 2)[0].Split([' ', ':', '('], StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2);
}
