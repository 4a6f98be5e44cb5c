using System.Globalization;
using Hokusai.Incidents.Aws;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Analysis.Tests;

/// <summary>
/// An outage told only by AWS (the fake server on 127.0.0.1) and by probes of a local endpoint:
/// a bad deployment at 13:00 whose tasks exit with a SyntaxError, failing target-group health checks,
/// a burst of errors in the API's log group, the public health endpoint answering 504 from 13:06,
/// a fixing deployment at 13:40 that reaches a steady state at 13:44:30, and the endpoint healthy at 13:46.
/// Pulled with the real pull code into an empty incident.
/// </summary>
public sealed class AwsOutage : IAsyncDisposable
{
    public const string Cluster = "hokusai-development";
    public const string Service = "hokusai-api-development";
    public const string Group = "/ecs/hokusai-api-development";
    public static readonly DateTimeOffset T0 = new(2025, 8, 20, 13, 0, 0, TimeSpan.Zero);

    private readonly FakeAwsServer _aws = new();
    private int _healthStatus = 504;
    private readonly LocalHttpServer _endpoint;

    public AwsOutage()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hokusai-analysis-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Store = LiteDbIncidentStore.Open(Path.Combine(Directory, "incidents.db"));
        IncidentId = Store.Create(new Incident { Id = "api-outage", Title = "API down after deploy" }).Id;
        _endpoint = new LocalHttpServer(_ => Task.FromResult(new HttpResponseData(_healthStatus, "{}", "application/json")));
    }

    public string Directory { get; }
    public LiteDbIncidentStore Store { get; }
    public string IncidentId { get; }
    public string HealthUrl => new Uri(_endpoint.Endpoint, "/health").ToString();

    public static DateTimeOffset At(int minutes, int seconds = 0) => T0.AddMinutes(minutes).AddSeconds(seconds);

    private static string Epoch(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Pulls ECS during the outage, probes, pulls logs, pulls ECS after the fix and probes again.</summary>
    public async Task PullAsync()
    {
        var settings = _aws.SettingsFor(Directory, maxWait: TimeSpan.FromMinutes(1));
        var client = new AwsJsonClient(await AwsCredentialResolver.ResolveAsync(settings, CancellationToken.None), settings);
        var clock = new FixedClock(At(12));
        var ecs = new EcsPuller(Store, new EcsApi(client), clock);
        var pullEcs = new EcsPullRequest { IncidentId = IncidentId, Cluster = Cluster, Services = [Service] };

        DuringTheOutage();
        await ecs.PullAsync(pullEcs, default);
        await ProbeAsync(clock, At(6), At(8), At(10));

        _aws.AddLogEvents(Group, Logs());
        await new LogsPuller(Store, new CloudWatchLogsApi(client)).PullAsync(new LogsPullRequest
        {
            IncidentId = IncidentId,
            Groups = [Group],
            Window = new TimeWindow(T0.AddHours(-1), T0.AddHours(2)),
        }, null, default);

        AfterTheFix();
        clock.Now = At(50);
        await ecs.PullAsync(pullEcs, default);
        _healthStatus = 200;
        await ProbeAsync(clock, At(46), At(48));
    }

    private async Task ProbeAsync(FixedClock clock, params DateTimeOffset[] times)
    {
        var checker = new EndpointChecker(clock);
        foreach (var t in times)
        {
            clock.Now = t;
            var probe = await checker.CheckAsync(HealthUrl, TimeSpan.FromSeconds(5), 200, default);
            Store.AddEvidence([probe.ToEvidence(IncidentId, [])]);
        }
    }

    private void DuringTheOutage()
    {
        var tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/hokusai-reg-api-development/0a1b2c3d";
        var unhealthy = string.Join(",", new[] { 1, 3, 5 }.Select((m, i) =>
            $$"""{"id":"ev-unhealthy-{{i}}","createdAt":{{Epoch(At(m, 10))}},"message":"(service {{Service}}) (task t{{i}}) (port 8000) is unhealthy in (target-group {{tg}}) due to (reason Health checks failed)."}"""));
        _aws.Services.GetOrAdd(Cluster, _ => new())[Service] = $$"""
            {"serviceName":"{{Service}}","clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/{{Cluster}}","status":"ACTIVE",
             "desiredCount":1,"runningCount":0,"pendingCount":1,
             "deployments":[{"id":"ecs-svc/1114","status":"PRIMARY","taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/{{Service}}:114",
               "desiredCount":1,"pendingCount":1,"runningCount":0,"failedTasks":3,"createdAt":{{Epoch(At(0))}},"updatedAt":{{Epoch(At(5, 30))}},"rolloutState":"IN_PROGRESS"}],
             "events":[
               {"id":"ev-place","createdAt":{{Epoch(At(10))}},"message":"(service {{Service}}) was unable to place a task because no container instance met all of its requirements."},
               {{unhealthy}},
               {"id":"ev-started","createdAt":{{Epoch(At(0, 5))}},"message":"(service {{Service}}) has started 1 tasks: (task t0)."}]}
            """;
        var tasks = _aws.Tasks.GetOrAdd(Cluster, _ => []);
        foreach (var (m, i) in new[] { 0, 2, 4 }.Select((m, i) => (m, i)))
        {
            tasks.Add($$"""
                {"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/{{Cluster}}/bad{{i}}","group":"service:{{Service}}","lastStatus":"STOPPED",
                 "desiredStatus":"STOPPED","stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited",
                 "stoppedAt":{{Epoch(At(m, 40))}},"containers":[{"name":"api","lastStatus":"STOPPED","exitCode":1}]}
                """);
        }
    }

    private void AfterTheFix() =>
        _aws.Services[Cluster][Service] = $$"""
            {"serviceName":"{{Service}}","clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/{{Cluster}}","status":"ACTIVE",
             "desiredCount":1,"runningCount":1,"pendingCount":0,
             "deployments":[{"id":"ecs-svc/1115","status":"PRIMARY","taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/{{Service}}:115",
               "desiredCount":1,"pendingCount":0,"runningCount":1,"failedTasks":0,"createdAt":{{Epoch(At(40))}},"updatedAt":{{Epoch(At(44, 31))}},"rolloutState":"COMPLETED"}],
             "events":[
               {"id":"ev-steady","createdAt":{{Epoch(At(44, 30))}},"message":"(service {{Service}}) has reached a steady state."},
               {"id":"ev-started-fix","createdAt":{{Epoch(At(40, 20))}},"message":"(service {{Service}}) has started 1 tasks: (task good0)."}]}
            """;

    /// <summary>Twelve errors in 20 s from 13:00:30, one at each later crash, and ordinary lines between.</summary>
    private static IEnumerable<FakeLogEvent> Logs()
    {
        var events = new List<(DateTimeOffset At, string Message)>();
        for (var i = 0; i < 12; i++)
        {
            events.Add((At(0, 30).AddMilliseconds(i * 1700), i % 2 == 0 ? "SyntaxError: '(' was never closed" : "ERROR: worker failed to boot"));
        }
        events.Add((At(0, 20), "INFO: loading settings"));
        events.Add((At(2, 35), "SyntaxError: '(' was never closed"));
        events.Add((At(4, 35), "SyntaxError: '(' was never closed"));
        events.Add((At(44, 17), "INFO: Started server process [1]"));
        return events.Select((e, i) => new FakeLogEvent("api/task", e.At.ToUnixTimeMilliseconds(), e.Message, $"evt{i:D6}", e.At.ToUnixTimeMilliseconds() + 200));
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await _aws.DisposeAsync();
        await _endpoint.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
