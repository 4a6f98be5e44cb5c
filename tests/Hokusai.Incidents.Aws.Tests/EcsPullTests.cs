using System.Globalization;
using Hokusai.Incidents.Aws.Tests.Fakes;

namespace Hokusai.Incidents.Aws.Tests;

public sealed class EcsPullTests
{
    public const string Cluster = "hokusai-development";
    public const string Service = "hokusai-api-development";

    /// <summary>A service and stopped tasks as ECS sends them: times in epoch seconds, in E-notation.</summary>
    internal static void Seed(FakeAwsServer server, int stoppedTasks = 5)
    {
        var services = server.Services.GetOrAdd(Cluster, _ => new());
        services[Service] = $$"""
            {"serviceArn":"arn:aws:ecs:eu-west-1:123456789012:service/{{Cluster}}/{{Service}}","serviceName":"{{Service}}",
             "clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/{{Cluster}}","status":"ACTIVE","desiredCount":1,"runningCount":0,"pendingCount":1,
             "deployments":[{"id":"ecs-svc/4790628212301958211","status":"PRIMARY","taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/{{Service}}:114",
               "desiredCount":1,"pendingCount":1,"runningCount":0,"failedTasks":3,"createdAt":1.755697202115E9,"updatedAt":1.755697457848E9,
               "rolloutState":"FAILED","rolloutStateReason":"ECS deployment circuit breaker: tasks failed to start."}],
             "events":[
               {"id":"ev-1","createdAt":1.755697457848E9,"message":"(service {{Service}}) has started 1 tasks: (task 0a1b)."},
               {"id":"ev-2","createdAt":1755697321.002,"message":"(service {{Service}}) deployment failed: tasks failed to start."}]}
            """;
        var tasks = server.Tasks.GetOrAdd(Cluster, _ => []);
        for (var i = 0; i < stoppedTasks; i++)
        {
            tasks.Add($$"""
                {"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/{{Cluster}}/task{{i:D4}}","group":"service:{{Service}}","lastStatus":"STOPPED",
                 "desiredStatus":"STOPPED","stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited",
                 "stoppedAt":1.7556974{{i}}E9,"containers":[{"name":"api","lastStatus":"STOPPED","exitCode":{{i + 1}},"reason":"SyntaxError in models.py"}]}
                """);
        }
        tasks.Add($$"""{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/{{Cluster}}/running1","group":"service:{{Service}}","lastStatus":"RUNNING","desiredStatus":"RUNNING"}""");
    }

    [Fact]
    public async Task Pull_stores_events_deployments_counts_and_every_stopped_task_with_exact_times()
    {
        await using var bed = new AwsTestBed();
        Seed(bed.Server, stoppedTasks: 7);
        var puller = new EcsPuller(bed.Store, new EcsApi(await bed.ClientAsync()));

        var result = await puller.PullAsync(new EcsPullRequest { IncidentId = bed.IncidentId, Cluster = Cluster, Services = [Service], Supports = ["H1"] }, default);

        var stored = bed.Evidence();
        Assert.All(stored, e => Assert.Equal(EvidenceKind.EcsEvent, e.Kind));
        Assert.All(stored, e => Assert.Equal(["H1"], e.Supports));
        var started = stored.Single(e => e.Attributes.GetValueOrDefault(EvidenceAttributes.EventId) == "ev-1");
        // 1.755697457848E9 seconds = 2025-08-20T13:44:17.848Z
        Assert.Equal(DateTimeOffset.Parse("2025-08-20T13:44:17.848Z", CultureInfo.InvariantCulture), started.Time);
        Assert.Equal(Cluster, started.Attributes[EvidenceAttributes.Cluster]);
        Assert.Equal(Service, started.Attributes[EvidenceAttributes.Service]);
        Assert.Equal(DateTimeOffset.Parse("2025-08-20T13:42:01.002Z", CultureInfo.InvariantCulture),
            stored.Single(e => e.Attributes.GetValueOrDefault(EvidenceAttributes.EventId) == "ev-2").Time);
        var deployment = stored.Single(e => e.Title == "deployment");
        Assert.Contains("rollout FAILED (ECS deployment circuit breaker: tasks failed to start.)", deployment.Content);
        Assert.Contains("failed tasks 3", deployment.Content);
        Assert.Contains("running 0 of 1 desired", stored.Single(e => e.Title == "service counts").Content);
        var tasks = stored.Where(e => e.Title == "stopped task").ToList();
        Assert.Equal(7, tasks.Count);
        Assert.Equal(7, result.StoppedTasks);
        var task3 = tasks.Single(t => t.Attributes[EvidenceAttributes.TaskArn].EndsWith("task0003", StringComparison.Ordinal));
        Assert.Equal("EssentialContainerExited", task3.Attributes[EvidenceAttributes.StopCode]);
        Assert.Contains("Essential container in task exited", task3.Content);
        Assert.Contains("container api STOPPED exit code 4: SyntaxError in models.py", task3.Content);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_755_697_430), task3.Time);
        // ListTasks pages three at a time in the fake: seven tasks need three pages.
        Assert.Equal(3, bed.Server.Count("ListTasks"));

        var again = await puller.PullAsync(new EcsPullRequest { IncidentId = bed.IncidentId, Cluster = Cluster, Services = [Service] }, default);
        Assert.Equal(0, again.Added);
        Assert.Equal(stored.Count, bed.Store.CountEvidence(bed.IncidentId));
    }

    [Fact]
    public async Task A_missing_service_is_named_after_the_others_are_stored()
    {
        await using var bed = new AwsTestBed();
        Seed(bed.Server, stoppedTasks: 1);
        var puller = new EcsPuller(bed.Store, new EcsApi(await bed.ClientAsync()));

        var e = await Assert.ThrowsAsync<AwsException>(() => puller.PullAsync(
            new EcsPullRequest { IncidentId = bed.IncidentId, Cluster = Cluster, Services = [Service, "ghost-service"] }, default));

        Assert.Equal("ECS service 'ghost-service' in cluster 'hokusai-development': MISSING", e.Message);
        Assert.Contains(bed.Evidence(), x => x.Title == "stopped task");
    }
}
