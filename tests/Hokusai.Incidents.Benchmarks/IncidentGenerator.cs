namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// Deterministic incidents and evidence for benchmarks: the same seed gives the same data on every
/// machine, drawn from the vocabulary of real outages so search and rendering see realistic text.
/// </summary>
public sealed class IncidentGenerator(int seed = 20250818)
{
    private static readonly string[] Services =
        ["hokusai-api-development", "hokusai-mlflow-development", "auth-service", "billing-worker", "redis-queue", "model-serving", "postgres-rds", "web-frontend"];

    private static readonly string[] Failures =
    [
        "504 Gateway Timeout after deploy", "DNS resolution failure for registry", "password authentication failed for user mlflow",
        "OOMKilled container restarts", "Redis port 6379 blocked by security group", "ALB health check /health/alb failing",
        "SyntaxError '(' was never closed", "ECONNREFUSED 10.0.3.219:5000", "certificate expired for api host", "disk full on worker",
    ];

    private static readonly string[] Words =
    [
        "timeout", "connection", "refused", "healthy", "unhealthy", "target", "group", "listener", "rule", "deploy", "rollback",
        "task", "container", "exit", "code", "memory", "limit", "latency", "retry", "token", "queue", "registry", "model", "version",
        "experiment", "proxy", "gateway", "route", "dns", "record", "certificate", "database", "credentials", "rotated", "secret",
    ];

    private readonly Random _random = new(seed);

    public Incident Incident(int index, int hypotheses = 5, int tasks = 20)
    {
        var failure = Pick(Failures);
        var service = Pick(Services);
        var started = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(index * 97L % 1_000_000);
        return new Incident
        {
            Id = $"{started:yyyy-MM-dd}-bench-{index:D6}",
            Title = $"{failure} on {service}",
            Severity = (Severity)(1 + _random.Next(4)),
            Status = (IncidentStatus)_random.Next(5),
            Summary = Sentence(25) + " " + failure + ".",
            BusinessImpact = Sentence(12),
            Components = new AffectedComponents { Services = [service, Pick(Services)], Endpoints = [$"/api/{Pick(Words)}/{Pick(Words)}"] },
            ErrorMessages = [failure, Sentence(8)],
            Times = new IncidentTimes { Started = started, Detected = started.AddMinutes(7), Resolved = started.AddHours(3) },
            Hypotheses = [.. Enumerable.Range(1, hypotheses).Select(n => new Hypothesis
            {
                Number = n,
                Title = Sentence(8),
                Confidence = _random.Next(101),
                Category = Pick(["Infrastructure Configuration", "Service Health", "Application Code", "Network Security"]),
                Description = Sentence(30),
                SupportingEvidence = [Sentence(10), Sentence(10)],
                TestMethod = new TestMethod { Steps = [Sentence(8), Sentence(8)], ExpectedIfTrue = Sentence(6), ExpectedIfFalse = Sentence(6) },
            })],
            Tasks = [.. Enumerable.Range(1, tasks).Select(n => new FixTask
            {
                Number = n,
                Title = Sentence(7),
                Priority = (Priority)(1 + (n * 4 / (tasks + 1))),
                Parent = n % 4 == 0 ? n - 1 : null,
                Done = _random.Next(3) == 0,
                Section = $"{1 + (n / 10)}. {Sentence(3)}",
            })],
            Timeline = [.. Enumerable.Range(0, 6).Select(n => new TimelineEntry { At = started.AddMinutes(n * 20), Text = Sentence(10), Kind = (TimelineKind)(n % 8) })],
            CreatedAt = started,
            UpdatedAt = started,
            Revision = 1,
        };
    }

    public IEnumerable<Evidence> LogEvents(string incidentId, int count, string group = "/ecs/hokusai-api-development")
    {
        var start = new DateTimeOffset(2025, 8, 20, 13, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var time = start.AddMilliseconds(i * 37L);
            yield return new Evidence
            {
                IncidentId = incidentId,
                Kind = EvidenceKind.LogExcerpt,
                Source = group,
                Time = time,
                Content = LogLine(i),
                DedupKey = $"cwl:{group}:{i:D12}",
                Attributes = new Dictionary<string, string>
                {
                    [EvidenceAttributes.LogGroup] = group,
                    [EvidenceAttributes.LogStream] = $"ecs/api/{i % 7:x8}",
                    [EvidenceAttributes.EventId] = $"{i:D56}",
                },
            };
        }
    }

    public string LogLine(int i) => (i % 5) switch
    {
        0 => $"INFO: {Pick(["GET", "POST"])} /api/mlflow/{Pick(Words)} {Pick(["200", "404", "504"])} {_random.Next(2000)}ms",
        1 => $"WARNING: Connection to 10.0.3.{_random.Next(255)} timed out. (connect timeout=120)",
        2 => $"ERROR: {Pick(Failures)} request_id={_random.Next():x8}",
        3 => $"INFO: Started server process [{_random.Next(100)}]",
        _ => Sentence(12),
    };

    public string Sentence(int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            parts[i] = Pick(Words);
        }
        parts[0] = char.ToUpperInvariant(parts[0][0]) + parts[0][1..];
        return string.Join(' ', parts);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
