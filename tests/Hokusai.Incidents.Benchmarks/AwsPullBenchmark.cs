using Hokusai.Incidents.Aws;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// <c>incidents pull logs</c> of 200,000 events from the local fake CloudWatch Logs with 50 ms per
/// page: wall time against the sum of time spent fetching and time spent storing. Without overlap the
/// wall time would be at least that sum.
/// </summary>
public sealed class AwsPullBenchmark : IBenchmark
{
    public string Name => "pull";
    public string Description => "pull 200,000 log events from the local fake AWS (10,000 per page, 50 ms latency); overlap of fetch and store";

    public void Run(BenchmarkContext context)
    {
        var count = context.Size(200_000);
        var dir = context.TempDirectory("pull");
        var start = new DateTimeOffset(2025, 8, 20, 13, 0, 0, TimeSpan.Zero);
        var gen = new IncidentGenerator();
        var server = new FakeAwsServer { PageSize = 10_000 };
        try
        {

            server.AddLogEvents("/ecs/hokusai-api-development",
                FakeAwsServer.MakeEvents("/ecs/hokusai-api-development", count, start, message: i => gen.LogLine(i)));
            server.Faults.Latency = TimeSpan.FromMilliseconds(50);

            var settings = new AwsSettings
            {
                Region = server.Region,
                EndpointUrl = server.Endpoint.ToString(),
                Variables = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = FakeAwsServer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = FakeAwsServer.SecretKey },
                RequestsPerSecond = 1000,
            };
            PullResult Pull(string path, int events)
            {
                using var store = LiteDbIncidentStore.Open(path);
                var incident = store.Create(new Incident { Id = "2025-08-20-bench-pull", Title = "pull benchmark" });
                var account = AwsCredentialResolver.ResolveAsync(settings, CancellationToken.None).GetAwaiter().GetResult();
                var puller = new LogsPuller(store, new CloudWatchLogsApi(new AwsJsonClient(account, settings)));
                return puller.PullAsync(new LogsPullRequest
                {
                    IncidentId = incident.Id,
                    Groups = ["/ecs/hokusai-api-development"],
                    Window = new TimeWindow(start, start.AddSeconds(count + 1)),
                    Limit = events,
                }, null, CancellationToken.None).GetAwaiter().GetResult();
            }

            Pull(Path.Combine(dir, "warm.db"), Math.Min(count, 20_000));
            var result = Pull(Path.Combine(dir, "store.db"), count);
            if (result.Added != count)
            {
                throw new InvalidOperationException($"expected {count} events stored, got {result.Added}");
            }
            var sequential = result.FetchTime + result.StoreTime;
            BenchmarkContext.Report($"pull {count:N0} events in {result.Pages} pages", result.Elapsed, sequential, "fetch + store done one after the other", count);
            var hidden = sequential - result.Elapsed;
            var shorter = result.FetchTime < result.StoreTime ? result.FetchTime : result.StoreTime;
            Console.WriteLine($"fetch {result.FetchTime.TotalSeconds:N2} s, store {result.StoreTime.TotalSeconds:N2} s, wall {result.Elapsed.TotalSeconds:N2} s: " +
                $"{hidden.TotalSeconds:N2} s overlapped ({(shorter > TimeSpan.Zero ? hidden / shorter : 0):P0} of the shorter side hidden)");
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
