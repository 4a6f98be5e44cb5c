namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>
/// A made-up outage with every part of the model filled in: a webhook worker that stopped draining its
/// queue after a config change. Every free-text value passes through <c>text</c>, so the same incident can
/// be built with plain words or with hostile Markdown and the two renders compared.
/// </summary>
public static class SampleIncident
{
    public const string Id = "2025-03-04-webhook-backlog";

    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 9, 12, 0, TimeSpan.Zero);

    public static RenderInput Build(Func<string, string>? text = null)
    {
        var t = text ?? (s => s);
        var incident = new Incident
        {
            Id = Id,
            Title = t("Webhook deliveries stuck in the outbound queue"),
            Severity = Severity.Sev2,
            Status = IncidentStatus.Resolved,
            Summary = t("Customer webhooks stopped arriving for two hours because the delivery worker could not reach the queue broker"),
            BusinessImpact = t("Partners saw order events late and several retried their own calls"),
            AffectedUsers = t("All partners subscribed to order events"),
            Environment = t("production eu-west-1"),
            Components = new AffectedComponents
            {
                Services = [t("webhook-worker"), t("order-api")],
                Infrastructure = [t("broker cluster"), t("security group sg-worker")],
                Databases = [t("delivery ledger table")],
                Endpoints = [t("POST /hooks/deliver")],
            },
            Reproduction = new Reproduction
            {
                EnvironmentRequired = [t("a partner sandbox subscription"), t("access to the worker logs")],
                Steps = [t("Place a test order in the sandbox"), t("Wait for the order.created webhook"), t("Check the queue depth dashboard")],
                SuccessRate = t("Every attempt during the outage"),
                Variations = t("Refund events were affected the same way"),
            },
            ErrorMessages = [t("broker handshake timed out after 30s"), t("delivery attempt abandoned: queue unavailable")],
            RecentChanges = [t("Security group rules moved into the shared network module"), t("Worker image bumped to 4.2")],
            SimilarPastIssues = [t("Queue outage after the broker upgrade last spring")],
            Investigation = new InvestigationPlan
            {
                DataToAnalyse =
                [
                    new LabeledList { Label = t("Logs to examine"), Items = [t("worker container logs"), t("broker connection logs")] },
                    new LabeledList { Label = t("Configuration"), Items = [t("security group diff of the network module")] },
                ],
                PriorityOrder = [t("Confirm the worker is running"), t("Check broker reachability"), t("Review recent network changes")],
                KeyQuestions = [t("Can the worker open a connection to the broker?"), t("Did anything else lose broker access?")],
                Goals = [t("Name the change that cut the worker off")],
            },
            RiskAssessment =
            [
                new LabeledList { Label = t("Current impact"), Items = [t("Events delayed, none lost so far")] },
                new LabeledList { Label = t("Data integrity"), Items = [t("Queue retention is 24 hours, so the backlog is safe for now")] },
            ],
            Tags = ["queue", "network"],
            Times = new IncidentTimes
            {
                Started = T0,
                Detected = T0.AddMinutes(18),
                Mitigated = T0.AddMinutes(95),
                Resolved = T0.AddMinutes(131),
                FirstReported = T0.AddMinutes(18),
                LastConfirmed = T0.AddMinutes(140),
            },
            FailurePattern = t("Constant from the deploy onwards"),
            Correlation = t("Began with the network module release"),
            PreviousFixAttempts = [t("Restarted the worker, which did not help")],
            RootCause = t("The shared network module dropped the egress rule that let the worker reach the broker port"),
            Trigger = t("Release of the shared network module at 09:10 UTC"),
            TechnicalExplanation = t("Security groups deny by default. The old worker group allowed egress to the broker on its port; the shared module only allowed HTTPS, so every broker handshake timed out"),
            Solution = t("Add the broker egress rule to the shared module and release it"),
            RelatedCode =
            [
                new CodeReference
                {
                    File = "network/worker.tf",
                    Line = 42,
                    Issue = t("Only port 443 is allowed out"),
                    Snippet = new CodeSnippet { Language = "hcl", Code = t("egress {\n  from_port = 443\n  to_port   = 443\n}") },
                },
            ],
            CurrentState =
            [
                new ComponentState { Component = t("webhook-worker"), Health = ComponentHealth.Healthy, Detail = t("draining the backlog") },
                new ComponentState { Component = t("partner retries"), Health = ComponentHealth.Degraded, Detail = t("some partners still back off") },
                new ComponentState { Component = t("refund events"), Health = ComponentHealth.Unknown, Detail = t("not yet verified") },
            ],
            DirectImpact = [t("About 41,000 webhooks delayed by up to two hours")],
            CascadeEffects = [t("Partner support tickets spiked")],
            ContributingFactors = [t("No alarm on queue age"), t("The network module change had no review from the worker team")],
            WentWell = [t("The backlog was kept, so nothing was lost")],
            WentWrong = [t("Eighteen minutes passed before anyone noticed")],
            GotLucky = [t("It happened before the evening order peak")],
            Lessons = [t("Own every egress rule next to the service that needs it")],
            Timeline =
            [
                new TimelineEntry { At = T0, Kind = TimelineKind.Deploy, Text = t("Network module released"), Evidence = ["E1"] },
                new TimelineEntry { At = T0.AddMinutes(18), Kind = TimelineKind.Detection, Text = t("Partner reports missing webhooks"), Evidence = ["E2"] },
                new TimelineEntry { At = T0.AddMinutes(25), Kind = TimelineKind.Escalation, Text = t("On-call paged the platform team") },
                new TimelineEntry { At = T0.AddMinutes(60), Kind = TimelineKind.Observation, Text = t("Broker handshakes time out from the worker"), Evidence = ["E3", "E9"] },
                new TimelineEntry { At = T0.AddMinutes(95), Kind = TimelineKind.Mitigation, Text = t("Egress rule added by hand"), Evidence = ["E5"] },
                new TimelineEntry { At = T0.AddMinutes(131), Kind = TimelineKind.Resolution, Text = t("Backlog drained and rule released in the module"), Evidence = ["E6"] },
            ],
            Hypotheses =
            [
                new Hypothesis
                {
                    Number = 1,
                    Title = t("Worker lost network access to the broker"),
                    Confidence = 85,
                    Complexity = t("Simple"),
                    Impact = t("Critical"),
                    Category = t("Network"),
                    Description = t("The release changed security groups used by the worker"),
                    SupportingEvidence = [t("Handshake timeouts, not refusals")],
                    EvidenceAgainst = [t("DNS for the broker still resolves")],
                    WhyItCausesTheBug = t("Without egress the worker cannot fetch or acknowledge messages"),
                    TestMethod = new TestMethod
                    {
                        Steps = [t("Open a TCP connection to the broker port from a worker task")],
                        ExpectedIfTrue = t("The connection times out"),
                        ExpectedIfFalse = t("The connection opens"),
                    },
                    Commands = [new CodeSnippet { Language = "bash", Code = t("nc -vz broker.internal 5671") }],
                    QuickFixTest = t("Add a temporary egress rule and watch the queue depth"),
                    Status = HypothesisStatus.Confirmed,
                    Outcome = t("Confirmed by the manual rule"),
                    History = [new StatusChange { At = T0.AddMinutes(96), From = HypothesisStatus.Open, To = HypothesisStatus.Confirmed, Note = t("queue drains with the rule") }],
                },
                new Hypothesis
                {
                    Number = 2,
                    Title = t("Worker image 4.2 broke the broker client"),
                    Confidence = 40,
                    Complexity = t("Medium"),
                    Impact = t("High"),
                    Category = t("Application"),
                    Status = HypothesisStatus.Refuted,
                    Outcome = t("Image 4.1 fails the same way"),
                },
                new Hypothesis
                {
                    Number = 3,
                    Title = t("Broker cluster overloaded"),
                    Confidence = 15,
                    Complexity = t("Simple"),
                    Impact = t("High"),
                    Category = t("Capacity"),
                },
            ],
            Tasks =
            [
                new FixTask { Number = 1, Title = t("Restore broker egress"), Priority = Priority.P1, Group = t("Immediate Fix"), Section = t("1. Network"), Done = true, DoneAt = T0.AddMinutes(95), Owner = t("platform on-call") },
                new FixTask { Number = 2, Title = t("Add rule to the shared module"), Priority = Priority.P1, Group = t("Immediate Fix"), Section = t("1. Network"), Parent = 1, Done = true, DoneAt = T0.AddMinutes(130) },
                new FixTask { Number = 3, Title = t("Release the module"), Priority = Priority.P1, Group = t("Immediate Fix"), Section = t("1. Network"), Parent = 2, DependsOn = [2], Done = true, DoneAt = T0.AddMinutes(131) },
                new FixTask { Number = 4, Title = t("Alarm on queue age over 5 minutes"), Priority = Priority.P2, Group = t("Monitoring"), Section = t("2. Alarms"), Owner = t("observability team"), Due = new DateOnly(2025, 3, 14) },
                new FixTask { Number = 5, Title = t("Page on delivery error rate"), Priority = Priority.P2, Group = t("Monitoring"), Section = t("2. Alarms"), Parent = 4, DependsOn = [4] },
                new FixTask { Number = 6, Title = t("Require worker team review for its egress rules"), Priority = Priority.P3, Group = t("Process"), Section = t("3. Review") },
            ],
            TaskSequence = [t("Restore egress first, then release the module"), t("Alarms can be built in parallel")],
            RollbackPlan = [new ChecklistItem { Text = t("Remove the manual rule once the module rule is live"), Done = true }, new ChecklistItem { Text = t("Revert the module release if anything else breaks") }],
            SuccessCriteria = [new ChecklistItem { Text = t("Queue age under one minute for an hour"), Done = true }, new ChecklistItem { Text = t("No handshake timeouts in the worker log") }],
            CreatedAt = T0.AddMinutes(20),
            UpdatedAt = T0.AddMinutes(140),
            Revision = 12,
        };
        var evidence = new List<Evidence>
        {
            Ev(1, EvidenceKind.Note, T0, t("Release notes of the network module"), t("Consolidated worker security groups into the shared module"), "git"),
            Ev(2, EvidenceKind.Note, T0.AddMinutes(18), t("Partner ticket"), t("We have had no order webhooks since about 09:15"), "support"),
            Ev(3, EvidenceKind.LogExcerpt, T0.AddMinutes(58), null, t("2025-03-04T10:10:02Z ERROR broker handshake timed out after 30s\n2025-03-04T10:10:32Z ERROR broker handshake timed out after 30s"), "/ecs/webhook-worker", "text", supports: ["H1"]),
            Ev(4, EvidenceKind.CommandOutput, T0.AddMinutes(70), t("Connection test"), t("nc: connect to broker.internal port 5671 (tcp) timed out"), "nc", "text", supports: ["H1"]),
            Ev(5, EvidenceKind.EcsEvent, T0.AddMinutes(95), t("Service steady"), t("service webhook-worker has reached a steady state."), "ecs", null),
            Ev(6, EvidenceKind.EndpointCheck, T0.AddMinutes(131), null, t("POST /hooks/deliver answered 200"), "probe", null,
                attributes: new() { [EvidenceAttributes.Url] = "https://hooks.example.test/hooks/deliver", [EvidenceAttributes.StatusCode] = "200", [EvidenceAttributes.LatencyMs] = "84", [EvidenceAttributes.Outcome] = "ok" }),
            Ev(7, EvidenceKind.EndpointCheck, T0.AddMinutes(60), null, t("health timed out"), "probe", null,
                attributes: new() { [EvidenceAttributes.Url] = "https://hooks.example.test/health", [EvidenceAttributes.Outcome] = "timeout", [EvidenceAttributes.Error] = t("no answer in 5s") }),
            Ev(8, EvidenceKind.EndpointCheck, T0.AddMinutes(140), null, t("health answered 200"), "probe", null,
                attributes: new() { [EvidenceAttributes.Url] = "https://hooks.example.test/health", [EvidenceAttributes.StatusCode] = "200", [EvidenceAttributes.LatencyMs] = "12", [EvidenceAttributes.Outcome] = "ok" }),
            Ev(9, EvidenceKind.LogExcerpt, T0.AddMinutes(61), null, t("2025-03-04T10:13:00Z WARN image 4.1 also fails to connect"), "/ecs/webhook-worker", null, refutes: ["H2"]),
        };
        return new RenderInput { Incident = incident, Evidence = evidence };
    }

    private static Evidence Ev(long n, EvidenceKind kind, DateTimeOffset at, string? title, string content, string source, string? language = null,
        string[]? supports = null, string[]? refutes = null, Dictionary<string, string>? attributes = null) => new()
        {
            IncidentId = Id,
            Number = n,
            Kind = kind,
            Time = at,
            Title = title,
            Content = content,
            Source = source,
            Language = language,
            Supports = supports ?? [],
            Refutes = refutes ?? [],
            Attributes = attributes ?? new Dictionary<string, string>(),
            DedupKey = $"sample-{n}",
            CollectedAt = at,
        };
}
