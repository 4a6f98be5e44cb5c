using System.Text.Json;
using Hokusai.Incidents.Aws;
using Hokusai.Incidents.Storage;
using LiteDB;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// <c>incidents attach</c> of a large <c>aws logs filter-log-events</c> file (parse, map, redact, dedup,
/// number, store) against LiteDB's own InsertBulk of exactly the documents our store wrote, into a
/// fresh file with the same unique index, in the same run.
/// </summary>
public sealed class AwsIngestBenchmark : IBenchmark
{
    public string Name => "ingest";
    public string Description => "attach a 1,000,000-event AWS CLI filter-log-events file vs LiteDB InsertBulk of the same documents";

    public void Run(BenchmarkContext context)
    {
        var count = context.Size(1_000_000);
        var dir = context.TempDirectory("ingest");
        var file = Path.Combine(dir, "filter-log-events.json");
        var gen = new IncidentGenerator();
        var writeTime = BenchmarkContext.Time(() => WriteFile(file, gen, count));
        Console.WriteLine($"wrote {count:N0} events ({new FileInfo(file).Length / (1 << 20):N0} MiB) in {writeTime.TotalSeconds:N1} s");

        // Warm-up of both paths (JIT, LiteDB code), so neither side pays it inside the timing.
        var warmFile = Path.Combine(dir, "warm.json");
        WriteFile(warmFile, new IncidentGenerator(7), Math.Min(count, 20_000));
        Ingest(warmFile, Path.Combine(dir, "warm.db"));
        InsertRaw(ReadBack(Path.Combine(dir, "warm.db")), Path.Combine(dir, "warm-raw.db"));

        var storePath = Path.Combine(dir, "store.db");
        AttachResult? result = null;
        var ours = BenchmarkContext.Time(() => result = Ingest(file, storePath));
        if (result!.Added != count)
        {
            throw new InvalidOperationException($"expected {count} events stored, got {result.Added}");
        }
        var docs = ReadBack(storePath);
        var baseline = BenchmarkContext.Time(() => InsertRaw(docs, Path.Combine(dir, "raw.db")));
        BenchmarkContext.Report($"ingest {count:N0} log events from AWS CLI JSON", ours, baseline, "LiteDB InsertBulk", count);
        Console.WriteLine($"ours reaches {baseline / ours:P0} of LiteDB's InsertBulk rate (target >= 80 %)");
    }

    private static AttachResult Ingest(string file, string storePath)
    {
        using var store = LiteDbIncidentStore.Open(storePath);
        var incident = store.Create(new Incident { Id = "2025-08-20-bench-ingest", Title = "ingest benchmark" });
        return AwsCliFile.AttachAsync(store, file, new AttachOptions { IncidentId = incident.Id, Group = "/ecs/hokusai-api-development" },
            TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static List<BsonDocument> ReadBack(string storePath)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = storePath, Connection = ConnectionType.Direct });
        return db.GetCollection("evidence").FindAll().ToList();
    }

    private static void InsertRaw(List<BsonDocument> docs, string path)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var col = db.GetCollection("evidence");
        col.EnsureIndex("key", unique: true);
        col.InsertBulk(docs, batchSize: 5000);
    }

    internal static void WriteFile(string path, IncidentGenerator gen, int count)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var start = new DateTimeOffset(2025, 8, 20, 13, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        w.WriteStartObject();
        w.WriteStartArray("events");
        for (var i = 0; i < count; i++)
        {
            w.WriteStartObject();
            w.WriteString("logStreamName", $"ecs/hokusai-api/{i % 7:x8}");
            w.WriteNumber("timestamp", start + (i * 37L));
            w.WriteString("message", gen.LogLine(i));
            w.WriteNumber("ingestionTime", start + (i * 37L) + 120);
            w.WriteString("eventId", $"{start + (i * 37L):D20}{i:D36}");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("searchedLogStreams");
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
