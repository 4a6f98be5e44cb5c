using System.Globalization;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>ECS evidence seen again in a later state is brought up to date, never left stale.</summary>
public sealed class EcsStateTests
{
    private const string Cluster = EcsPullTests.Cluster;
    private const string Service = EcsPullTests.Service;
    private const string Arn = "arn:aws:ecs:eu-west-1:123456789012:task/hokusai-development/7e57a5c0ffee4b1d9a1b2c3d4e5f6071";

    // Shapes as `aws ecs describe-tasks` prints them (times as ISO text) and as the API sends them (epoch seconds).
    private const string Deactivating = $$"""
        {"taskArn":"{{Arn}}","clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/{{Cluster}}","group":"service:{{Service}}",
         "lastStatus":"DEACTIVATING","desiredStatus":"STOPPED","stoppingAt":1.7556974601E9,
         "containers":[{"name":"api","lastStatus":"RUNNING"}]}
        """;

    private const string Stopped = $$"""
        {"taskArn":"{{Arn}}","clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/{{Cluster}}","group":"service:{{Service}}",
         "lastStatus":"STOPPED","desiredStatus":"STOPPED","stopCode":"EssentialContainerExited",
         "stoppedReason":"OutOfMemoryError: Container killed due to memory usage","stoppingAt":1.7556974601E9,"stoppedAt":1.7556974637E9,
         "containers":[{"name":"api","lastStatus":"STOPPED","exitCode":137,"reason":"OutOfMemoryError: Container killed due to memory usage"}]}
        """;

    private static async Task<EcsPullResult> Pull(AwsTestBed bed, params string[] supports) =>
        await new EcsPuller(bed.Store, new EcsApi(await bed.ClientAsync())).PullAsync(
            new EcsPullRequest { IncidentId = bed.IncidentId, Cluster = Cluster, Services = [Service], Supports = supports }, default);

    private static Evidence Task(AwsTestBed bed) => bed.Evidence().Single(e => e.Attributes.GetValueOrDefault(EvidenceAttributes.TaskArn) == Arn);

    [Fact]
    public async Task A_task_pulled_while_deactivating_ends_with_its_stop_reason_keeping_its_number_and_links()
    {
        await using var bed = new AwsTestBed();
        EcsPullTests.Seed(bed.Server, stoppedTasks: 0);
        bed.Server.UpdateTask(Cluster, Arn, Deactivating);
        var first = await Pull(bed, "H1");
        var before = Task(bed);
        Assert.Equal("stopping task", before.Title);
        Assert.Equal((0L, 1L), (first.StoppedTasks, first.StoppingTasks));
        bed.Store.UpdateEvidence(bed.IncidentId, before.Number, e => e with { Refutes = ["T1"] });

        bed.Server.UpdateTask(Cluster, Arn, Stopped);
        var second = await Pull(bed);
        var third = await Pull(bed);

        var after = Task(bed);
        Assert.Equal([before.Number], second.Updated);
        Assert.Equal((1L, 0L), (second.StoppedTasks, second.StoppingTasks));
        Assert.Empty(third.Updated);
        Assert.Equal(before.Number, after.Number);
        Assert.Equal(["H1"], after.Supports);
        Assert.Equal(["T1"], after.Refutes);
        Assert.Equal("stopped task", after.Title);
        Assert.Contains("OutOfMemoryError: Container killed due to memory usage", after.Content);
        Assert.Contains("exit code 137", after.Content);
        Assert.Equal(DateTimeOffset.Parse("2025-08-20T13:44:23.7Z", CultureInfo.InvariantCulture), after.Time);
        Assert.Single(bed.Evidence(), e => e.Attributes.GetValueOrDefault(EvidenceAttributes.TaskArn) == Arn);
    }

    [Fact]
    public async Task A_running_task_attached_from_describe_tasks_is_not_called_stopped_and_is_updated_when_it_stops()
    {
        await using var bed = new AwsTestBed();
        var running = Path.Combine(bed.Directory, "running.json");
        await File.WriteAllTextAsync(running, $$"""
            {"tasks":[{"taskArn":"{{Arn}}","clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/{{Cluster}}","group":"service:{{Service}}",
              "lastStatus":"RUNNING","desiredStatus":"RUNNING","createdAt":"2025-08-20T13:40:00.000000+00:00",
              "containers":[{"name":"api","lastStatus":"RUNNING"}]}],"failures":[]}
            """);
        var stopped = Path.Combine(bed.Directory, "stopped.json");
        await File.WriteAllTextAsync(stopped, $$"""{"tasks":[{{Stopped}}],"failures":[]}""");
        var options = new AttachOptions { IncidentId = bed.IncidentId, Supports = ["H1"] };

        await AwsCliFile.AttachAsync(bed.Store, running, options, TimeProvider.System, default);
        var first = Task(bed);
        var update = await AwsCliFile.AttachAsync(bed.Store, stopped, options with { Supports = [] }, TimeProvider.System, default);
        // An older file attached after the newer one changes nothing.
        var stale = await AwsCliFile.AttachAsync(bed.Store, running, options, TimeProvider.System, default);

        Assert.Equal("running task", first.Title);
        Assert.Equal([first.Number], update.Updated);
        Assert.Equal(0, update.Added);
        Assert.Equal((0, 0L, 1L), (stale.Updated.Count, stale.Added, stale.Skipped));
        var last = Task(bed);
        Assert.Equal(("stopped task", first.Number), (last.Title, last.Number));
        Assert.Equal(["H1"], last.Supports);
        Assert.Contains("task 7e57a5c0ffee4b1d9a1b2c3d4e5f6071 STOPPED (EssentialContainerExited): OutOfMemoryError", last.Content);
    }

    [Fact]
    public async Task A_deployment_seen_again_later_is_one_item_with_its_latest_rollout_state()
    {
        await using var bed = new AwsTestBed();
        EcsPullTests.Seed(bed.Server, stoppedTasks: 0);
        var services = bed.Server.Services[Cluster];
        services[Service] = services[Service].Replace("\"rolloutState\":\"FAILED\"", "\"rolloutState\":\"IN_PROGRESS\"").Replace("\"updatedAt\":1.755697457848E9", "\"updatedAt\":1.7556973E9");
        await Pull(bed, "H2");
        var before = bed.Evidence().Single(e => e.Title == "deployment");
        EcsPullTests.Seed(bed.Server, stoppedTasks: 0);

        var second = await Pull(bed);

        var after = bed.Evidence().Single(e => e.Title == "deployment");
        Assert.Contains("rollout IN_PROGRESS", before.Content);
        Assert.Contains(before.Number, second.Updated);
        Assert.Equal(before.Number, after.Number);
        Assert.Equal(["H2"], after.Supports);
        Assert.Contains("rollout FAILED (ECS deployment circuit breaker", after.Content);
    }

    [Fact]
    public async Task Pull_ecs_keeps_only_the_tasks_of_the_services_asked_for()
    {
        await using var bed = new AwsTestBed();
        EcsPullTests.Seed(bed.Server, stoppedTasks: 2);
        bed.Server.Tasks[Cluster].Add($$"""
            {"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/{{Cluster}}/other0001","group":"service:hokusai-mlflow-development",
             "lastStatus":"STOPPED","desiredStatus":"STOPPED","stoppedReason":"Scaling activity initiated by deployment"}
            """);
        bed.Server.ListTasksIncludesOtherServices = true;

        var result = await Pull(bed);

        Assert.Equal((2L, 1L), (result.StoppedTasks, result.OtherServicesTasks));
        Assert.DoesNotContain(bed.Evidence(), e => e.Content.Contains("other0001", StringComparison.Ordinal));
        Assert.All(bed.Evidence().Where(e => e.Attributes.ContainsKey(EvidenceAttributes.TaskArn)), e => Assert.Equal(Service, e.Attributes[EvidenceAttributes.Service]));
    }
}
