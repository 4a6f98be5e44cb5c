using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Analysis.Tests;

/// <summary>Six written outages of a made-up shop, each with its root cause, what it ruled out and its fix checklist.</summary>
internal static class PastOutages
{
    private static Hypothesis H(int n, string title, HypothesisStatus status, string? outcome = null, string? ifTrue = null, string? step = null) => new()
    {
        Number = n,
        Title = title,
        Status = status,
        Outcome = outcome,
        Confidence = 60,
        TestMethod = new TestMethod { ExpectedIfTrue = ifTrue, Steps = step is null ? [] : [step] },
    };

    private static FixTask T(int n, string title, Priority priority, int? parent = null, bool done = true, params int[] dependsOn) => new()
    {
        Number = n,
        Title = title,
        Priority = priority,
        Parent = parent,
        Done = done,
        Owner = "sam",
        DependsOn = dependsOn,
    };

    public static readonly Incident[] All =
    [
        new()
        {
            Id = "2024-02-11-checkout-db-pool",
            Title = "Checkout fails: PostgreSQL connection pool exhausted during a flash sale",
            Status = IncidentStatus.Resolved,
            Components = new AffectedComponents { Services = ["checkout-api"], Databases = ["orders-postgres"] },
            ErrorMessages = ["HikariPool-1 - Connection is not available, request timed out after 30000ms", "FATAL: remaining connection slots are reserved"],
            Summary = "During the flash sale checkout-api threw HikariPool connection timeouts and orders-postgres refused new connections.",
            RootCause = "checkout-api opened a connection per request outside the pool after a retry change, exhausting max_connections on orders-postgres",
            Hypotheses =
            [
                H(1, "Pool size too small for sale traffic", HypothesisStatus.Refuted, "Raising the pool from 20 to 40 made it worse"),
                H(2, "Connections leak on the retry path", HypothesisStatus.Confirmed, "Retry wrapper bypassed the pool", "pg_stat_activity shows idle connections from checkout-api", "psql -c 'select count(*) from pg_stat_activity'"),
                H(3, "Slow queries hold connections", HypothesisStatus.Refuted, "p99 query time unchanged at 12 ms"),
            ],
            Tasks =
            [
                T(1, "Route retries through the Hikari pool", Priority.P1),
                T(2, "Remove the direct DriverManager call", Priority.P1, 1),
                T(3, "Add a test that counts open connections", Priority.P1, 1, false),
                T(4, "Alert on pg connection count above 80%", Priority.P2, null, false, 1),
                T(5, "Dashboard panel for pool wait time", Priority.P3, 4, false),
            ],
        },
        new()
        {
            Id = "2024-04-02-cdn-certificate",
            Title = "Storefront unreachable: CDN certificate expired",
            Status = IncidentStatus.Resolved,
            Components = new AffectedComponents { Services = ["storefront"], Infrastructure = ["cdn"] },
            ErrorMessages = ["NET::ERR_CERT_DATE_INVALID", "SSL certificate problem: certificate has expired"],
            RootCause = "The CDN certificate was renewed by hand and the reminder went to a former employee",
            Hypotheses = [H(1, "Origin is down", HypothesisStatus.Refuted, "Origin answers 200 directly")],
            Tasks = [T(1, "Automate certificate renewal with ACME", Priority.P1), T(2, "Alert 30 days before expiry", Priority.P2)],
        },
        new()
        {
            Id = "2024-05-19-search-oom",
            Title = "Search results empty: Elasticsearch nodes killed by the OOM killer",
            Status = IncidentStatus.Resolved,
            Components = new AffectedComponents { Services = ["search-api"], Databases = ["products-elasticsearch"] },
            ErrorMessages = ["OutOfMemoryError: Java heap space", "circuit_breaking_exception"],
            RootCause = "A new aggregation on product tags loaded all field data into heap",
            Hypotheses = [H(1, "Disk full on data nodes", HypothesisStatus.Refuted, "Disks at 41%")],
            Tasks = [T(1, "Limit the tags aggregation size", Priority.P1), T(2, "Set fielddata circuit breaker to 40%", Priority.P2)],
        },
        new()
        {
            Id = "2024-07-08-queue-backlog",
            Title = "Order emails hours late: RabbitMQ consumers stuck after broker failover",
            Status = IncidentStatus.Resolved,
            Components = new AffectedComponents { Services = ["mailer-worker"], Infrastructure = ["rabbitmq"] },
            ErrorMessages = ["AMQP connection reset by peer", "consumer cancelled by broker"],
            RootCause = "mailer-worker did not re-subscribe after the broker failover closed its channel",
            Hypotheses = [H(1, "SMTP provider throttling", HypothesisStatus.Refuted, "Provider dashboard shows no throttling")],
            Tasks = [T(1, "Re-subscribe on channel close", Priority.P1), T(2, "Failover drill includes consumers", Priority.P3)],
        },
        new()
        {
            Id = "2024-09-23-dns-ttl",
            Title = "Payments API timeouts after moving the load balancer: stale DNS",
            Status = IncidentStatus.Resolved,
            Components = new AffectedComponents { Services = ["payments-api"], Infrastructure = ["route53"] },
            ErrorMessages = ["context deadline exceeded", "dial tcp 10.20.0.14:443: i/o timeout"],
            RootCause = "Clients cached the old load balancer address for the 24 h TTL set years ago",
            Hypotheses = [H(1, "Payments provider outage", HypothesisStatus.Refuted, "Provider status page green, direct calls succeed")],
            Tasks = [T(1, "Lower TTL to 60 s before moves", Priority.P2), T(2, "Keep the old load balancer for one TTL", Priority.P2)],
        },
        new()
        {
            Id = "2024-11-30-image-resizer-disk",
            Title = "Product images missing: image resizer disk full",
            Status = IncidentStatus.Resolved,
            Components = new AffectedComponents { Services = ["image-resizer"] },
            ErrorMessages = ["No space left on device", "ENOSPC: write /tmp/resize"],
            RootCause = "Temporary resize files were never deleted after a library upgrade changed their path",
            Hypotheses = [H(1, "S3 bucket permissions changed", HypothesisStatus.Refuted, "Reads and writes with the role succeed")],
            Tasks = [T(1, "Clean the new temp path after each resize", Priority.P1), T(2, "Alert on disk use above 85%", Priority.P2)],
        },
    ];

    public static void WriteTo(string databasePath)
    {
        using var store = LiteDbIncidentStore.Open(databasePath);
        foreach (var incident in All)
        {
            store.Create(incident);
        }
    }
}
