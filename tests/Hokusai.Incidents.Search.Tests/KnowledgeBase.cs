using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>
/// Eight written outages of different kinds, with hypotheses (some refuted), tasks, timeline and
/// evidence, so that search and similarity have realistic neighbours to tell apart.
/// </summary>
public static class KnowledgeBase
{
    public const string Dns = "2025-03-02-registry-dns-nxdomain";
    public const string DnsAgain = "2025-06-11-webhook-dns-resolver";
    public const string Credentials = "2025-04-14-mlflow-db-credentials-rotated";
    public const string Routing = "2025-05-20-alb-routing-wrong-target-group";
    public const string BadDeploy = "2025-08-18-api-504-after-deploy";
    public const string Oom = "2025-07-01-model-serving-oomkilled";
    public const string OomAgain = "2025-07-29-batch-worker-oom";
    public const string Redis = "2025-02-10-redis-port-blocked";

    private static readonly DateTimeOffset Base = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Seed(IIncidentStore store)
    {
        Add(store, new Incident
        {
            Id = Dns,
            Title = "Model registry unreachable: DNS name does not resolve",
            Severity = Severity.Sev2,
            Status = IncidentStatus.Resolved,
            Summary = "Clients calling registry.hokus.ai got NXDOMAIN after the hosted zone was migrated; the CNAME for the registry was not copied.",
            ErrorMessages = ["getaddrinfo ENOTFOUND registry.hokus.ai", "NXDOMAIN for registry.hokus.ai"],
            Components = new AffectedComponents { Services = ["model-registry"], Infrastructure = ["Route 53 hosted zone hokus.ai"] },
            RootCause = "The zone migration script skipped CNAME records, so the registry record vanished from the new zone.",
            Times = Times(Base.AddDays(60)),
            Hypotheses =
            [
                new Hypothesis { Number = 1, Title = "Registry CNAME missing from the migrated zone", Status = HypothesisStatus.Confirmed, Confidence = 90, Description = "dig shows NXDOMAIN from the new name servers" },
                new Hypothesis { Number = 2, Title = "Resolver cache on the VPC holds a stale negative answer", Status = HypothesisStatus.Refuted, Outcome = "Flushing the resolver changed nothing" },
            ],
            Tasks = [new FixTask { Number = 1, Title = "Recreate the registry CNAME in the new zone", Priority = Priority.P1, Done = true }, new FixTask { Number = 2, Title = "Diff old and new zones before cutting over name servers", Priority = Priority.P2 }],
            Timeline = [new TimelineEntry { At = Base.AddDays(60).AddMinutes(5), Text = "Name servers switched to the new hosted zone", Kind = TimelineKind.Deploy }],
        }, [Log("dig registry.hokus.ai returned status: NXDOMAIN from ns-201.awsdns-25.com", "command-output")]);

        Add(store, new Incident
        {
            Id = DnsAgain,
            Title = "Webhook deliveries failing: partner host does not resolve",
            Severity = Severity.Sev3,
            Status = IncidentStatus.Resolved,
            Summary = "After the VPC resolver rule change, lookups of hooks.partner.io returned NXDOMAIN and webhook deliveries failed with ENOTFOUND.",
            ErrorMessages = ["getaddrinfo ENOTFOUND hooks.partner.io"],
            Components = new AffectedComponents { Services = ["webhook-dispatcher"], Infrastructure = ["Route 53 resolver rule"] },
            RootCause = "A forwarding resolver rule sent the partner domain to name servers that do not serve it.",
            Times = Times(Base.AddDays(161)),
            Hypotheses = [new Hypothesis { Number = 1, Title = "Resolver rule forwards the domain to the wrong name servers", Status = HypothesisStatus.Confirmed }],
            Tasks = [new FixTask { Number = 1, Title = "Remove the forwarding rule for partner.io", Priority = Priority.P1 }],
        }, [Log("dig hooks.partner.io: status NXDOMAIN via resolver 10.0.0.2", "command-output")]);

        Add(store, new Incident
        {
            Id = Credentials,
            Title = "MLflow tracking server crash-looping after database credential rotation",
            Severity = Severity.Sev1,
            Status = IncidentStatus.Closed,
            Summary = "Secrets Manager rotated the RDS password for the mlflow user; running tasks kept the old secret and every reconnect was rejected.",
            ErrorMessages = ["FATAL: password authentication failed for user \"mlflow\""],
            Components = new AffectedComponents { Services = ["hokusai-mlflow-development"], Databases = ["mlflow-postgres (RDS)"] },
            RootCause = "The ECS task definition read the secret only at start; the rotation lambda changed the password under running tasks.",
            Trigger = "Scheduled 30-day rotation of the database secret",
            Times = Times(Base.AddDays(103)),
            Hypotheses =
            [
                new Hypothesis { Number = 1, Title = "Rotated secret not picked up by running tasks", Status = HypothesisStatus.Confirmed, Confidence = 85 },
                new Hypothesis { Number = 2, Title = "RDS instance out of connections", Status = HypothesisStatus.Refuted, Outcome = "max_connections was far from reached" },
            ],
            Tasks = [new FixTask { Number = 1, Title = "Force a new deployment so tasks read the current secret", Priority = Priority.P1, Done = true }, new FixTask { Number = 2, Title = "Make the rotation lambda trigger a service redeploy", Priority = Priority.P2, Owner = "platform" }],
        }, [Log("psycopg2.OperationalError: connection to server at mlflow-db.internal failed: FATAL:  password authentication failed for user \"mlflow\"")]);

        Add(store, new Incident
        {
            Id = Routing,
            Title = "ALB sends MLflow traffic to the wrong target group",
            Severity = Severity.Sev2,
            Status = IncidentStatus.Resolved,
            Summary = "A new listener rule with a higher priority matched /api/* and sent MLflow requests to the API target group, which answered 404. Targets of the MLflow group were also marked unhealthy.",
            ErrorMessages = ["404 Not Found for /api/mlflow/health", "Target.ResponseCodeMismatch on the MLflow target group"],
            Components = new AffectedComponents { Services = ["hokusai-main-development"], Infrastructure = ["ALB listener rules", "target group mlflow-tg"], Endpoints = ["/api/mlflow/health"] },
            RootCause = "Listener rule priority 10 for /api/* shadowed the MLflow rule at priority 20.",
            Times = Times(Base.AddDays(139)),
            Hypotheses =
            [
                new Hypothesis { Number = 1, Title = "Listener rule order shadows the MLflow path rule", Status = HypothesisStatus.Confirmed },
                new Hypothesis { Number = 2, Title = "Target group health check path /health/alb is not served by MLflow", Status = HypothesisStatus.Refuted, Description = "The health check path /health/alb returned 404 on one target only", Outcome = "The path answers 200 on every healthy target" },
            ],
            Tasks = [new FixTask { Number = 1, Title = "Move the MLflow rule above the catch-all /api/* rule", Priority = Priority.P1, Done = true }],
            Timeline = [new TimelineEntry { At = Base.AddDays(139).AddMinutes(12), Text = "Terraform apply added listener rule for /api/*", Kind = TimelineKind.Deploy }],
        }, [new Evidence { IncidentId = Routing, Kind = EvidenceKind.EndpointCheck, Content = "GET https://registry.hokus.ai/api/mlflow/health -> 404 in 41 ms from target 10.0.3.219:8080", Source = "curl" }]);

        Add(store, new Incident
        {
            Id = BadDeploy,
            Title = "API returns 504 Gateway Timeout after deploy",
            Severity = Severity.Sev1,
            Status = IncidentStatus.Resolved,
            Summary = "Right after deploying build 2.14 the API answered 504 to every request: the new container crashed on import and the proxy's upstream connection was refused.",
            ErrorMessages = ["SyntaxError: '(' was never closed", "upstream connect error: connection refused to 10.0.3.219:5000"],
            Components = new AffectedComponents { Services = ["hokusai-api-development"], Infrastructure = ["ECS service hokusai-api-development"] },
            RootCause = "A merge left an unclosed parenthesis in routes.py; the image was built without a compile step.",
            Trigger = "Deploy of build 2.14",
            Times = Times(Base.AddDays(229)),
            Hypotheses =
            [
                new Hypothesis { Number = 1, Title = "New image crashes on start", Status = HypothesisStatus.Confirmed, Confidence = 90 },
                new Hypothesis { Number = 2, Title = "Load balancer idle timeout too short", Status = HypothesisStatus.Refuted, Outcome = "Timeouts happened on the first byte, not after 60 s" },
            ],
            Tasks =
            [
                new FixTask { Number = 1, Title = "Roll back to build 2.13", Priority = Priority.P1, Done = true },
                new FixTask { Number = 2, Title = "Add python -m compileall to the image build", Priority = Priority.P2 },
            ],
            Timeline = [new TimelineEntry { At = Base.AddDays(229).AddMinutes(3), Text = "Deploy of build 2.14 started", Kind = TimelineKind.Deploy }],
        }, [Log("File \"/app/routes.py\", line 88\n    app.add_route(health_check\n                 ^\nSyntaxError: '(' was never closed"),
            Log("upstream connect error or disconnect/reset before headers. reset reason: connection failure, 10.0.3.219:5000 refused")]);

        Add(store, new Incident
        {
            Id = Oom,
            Title = "Model serving containers OOMKilled under batch load",
            Severity = Severity.Sev2,
            Status = IncidentStatus.Resolved,
            Summary = "Batch inference requests loaded several large models at once; containers hit the 2048 MiB memory limit and were OOMKilled with exit code 137. Pods were evicted repeatedly.",
            ErrorMessages = ["OOMKilled", "Essential container in task exited: exit code 137"],
            Components = new AffectedComponents { Services = ["model-serving"] },
            RootCause = "The model cache had no size bound.",
            Times = Times(Base.AddDays(181)),
            Hypotheses =
            [
                new Hypothesis { Number = 1, Title = "Unbounded model cache exhausts container memory", Status = HypothesisStatus.Confirmed },
                new Hypothesis { Number = 2, Title = "Memory leak in the request handler", Status = HypothesisStatus.Refuted, Outcome = "Heap flat between batches" },
            ],
            Tasks = [new FixTask { Number = 1, Title = "Bound the model cache to two models", Priority = Priority.P1 }],
        }, [Log("ECS stopped task: OutOfMemoryError: Container killed due to memory usage, exit code 137", "ecs-event")]);

        Add(store, new Incident
        {
            Id = OomAgain,
            Title = "Feature batch worker killed for memory on large input files",
            Severity = Severity.Sev3,
            Status = IncidentStatus.Mitigating,
            Summary = "The worker read whole parquet files into memory; large inputs pushed it past its memory limit and the kernel OOM killer ended it with exit code 137.",
            ErrorMessages = ["OOMKilled", "exit code 137"],
            Components = new AffectedComponents { Services = ["billing-worker"] },
            Times = Times(Base.AddDays(209)),
            Hypotheses = [new Hypothesis { Number = 1, Title = "Whole-file reads exceed the container memory limit", Status = HypothesisStatus.Open }],
            Tasks = [new FixTask { Number = 1, Title = "Stream the parquet files in row groups", Priority = Priority.P2 }],
        }, [Log("kernel: Out of memory: Killed process 4121 (python) total-vm:4012345kB, OOMKilled, exit code 137")]);

        Add(store, new Incident
        {
            Id = Redis,
            Title = "Celery workers cannot reach Redis after security group change",
            Severity = Severity.Sev2,
            Status = IncidentStatus.Resolved,
            Summary = "A Terraform change replaced the cache security group and dropped the inbound rule for port 6379; workers got ECONNREFUSED and connect timeouts.",
            ErrorMessages = ["Error 111 connecting to 10.0.5.17:6379. ECONNREFUSED", "redis.exceptions.TimeoutError: Timeout connecting to server"],
            Components = new AffectedComponents { Services = ["redis-queue", "celery-workers"], Infrastructure = ["security group sg-cache"] },
            RootCause = "The new security group had no ingress rule for 6379 from the worker subnet.",
            Times = Times(Base.AddDays(40)),
            Hypotheses =
            [
                new Hypothesis { Number = 1, Title = "Port 6379 blocked by the new security group", Status = HypothesisStatus.Confirmed },
                new Hypothesis { Number = 2, Title = "Redis node out of memory", Status = HypothesisStatus.Refuted, Outcome = "used_memory at 30 %" },
            ],
            Tasks = [new FixTask { Number = 1, Title = "Restore ingress on 6379 from the worker subnet", Priority = Priority.P1, Done = true }],
        }, [Log("kombu.exceptions.OperationalError: Error 111 connecting to 10.0.5.17:6379. ECONNREFUSED.")]);
    }

    private static IncidentTimes Times(DateTimeOffset started) =>
        new() { Started = started, Detected = started.AddMinutes(8), Resolved = started.AddHours(2) };

    private static Evidence Log(string content, string kind = "log") => new()
    {
        IncidentId = "",
        Kind = Vocabulary.ParseEvidenceKind(kind),
        Content = content,
        Source = "/ecs/app",
    };

    private static void Add(IIncidentStore store, Incident incident, IReadOnlyList<Evidence> evidence)
    {
        store.Create(incident);
        store.AddEvidence([.. evidence.Select(e => e with { IncidentId = incident.Id })]);
    }
}
