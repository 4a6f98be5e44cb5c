namespace Hokusai.Incidents;

/// <summary>
/// A piece of evidence: a log line, an ECS event, an endpoint probe, command output or a note.
/// Kind-specific facts (log group, event id, HTTP status…) travel in <see cref="Attributes"/>.
/// </summary>
public sealed record Evidence
{
    public required string IncidentId { get; init; }
    /// <summary>Assigned by the store, per incident: E1, E2…</summary>
    public long Number { get; init; }
    public required EvidenceKind Kind { get; init; }
    public string? Source { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string? Title { get; init; }
    public required string Content { get; init; }
    /// <summary>Code fence language for display (bash, python, json…).</summary>
    public string? Language { get; init; }
    /// <summary>Hypotheses (H1) and tasks (T3) this evidence supports.</summary>
    public IReadOnlyList<string> Supports { get; init => field = value ?? []; } = [];
    public IReadOnlyList<string> Refutes { get; init => field = value ?? []; } = [];
    public IReadOnlyDictionary<string, string> Attributes { get; init => field = value ?? EmptyAttributes; } = EmptyAttributes;
    /// <summary>
    /// What makes two pieces of evidence the same, so a repeated pull or import stores nothing twice:
    /// the AWS event id where there is one, otherwise a hash of the content. Filled by the store when empty.
    /// </summary>
    public string? DedupKey { get; init; }
    public DateTimeOffset CollectedAt { get; init; }

    public string Key => $"E{Number}";

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();
}

/// <summary>Well-known attribute names, shared by producers (AWS pulls, import) and consumers (templates, search).</summary>
public static class EvidenceAttributes
{
    public const string LogGroup = "logGroup";
    public const string LogStream = "logStream";
    public const string EventId = "eventId";
    public const string IngestionTime = "ingestionTime";
    public const string Cluster = "cluster";
    public const string Service = "service";
    public const string TaskArn = "taskArn";
    public const string StopCode = "stopCode";
    /// <summary>An ECS task's lastStatus when it was stored (RUNNING, DEACTIVATING, STOPPED…).</summary>
    public const string TaskStatus = "taskStatus";
    public const string DeploymentId = "deploymentId";
    /// <summary>When an ECS deployment was created (its item's time is its last update).</summary>
    public const string DeploymentCreatedAt = "deploymentCreatedAt";
    /// <summary>An ECS deployment's rolloutState when stored: IN_PROGRESS, COMPLETED, FAILED.</summary>
    public const string RolloutState = "rolloutState";
    public const string Url = "url";
    public const string StatusCode = "statusCode";
    public const string LatencyMs = "latencyMs";
    public const string Outcome = "outcome";
    public const string Error = "error";
    public const string TimeoutSeconds = "timeoutSeconds";
}

/// <summary>Values of <see cref="EvidenceAttributes.Outcome"/> on endpoint checks, shared by probes, import and templates.</summary>
public static class EndpointOutcomes
{
    /// <summary>Answered with the expected status.</summary>
    public const string Ok = "ok";
    /// <summary>Answered, with another status (404, 504…).</summary>
    public const string UnexpectedStatus = "unexpected-status";
    public const string Timeout = "timeout";
    public const string ConnectionRefused = "connection-refused";
    public const string DnsError = "dns-error";
    public const string TlsError = "tls-error";
    public const string ConnectionError = "connection-error";
}
