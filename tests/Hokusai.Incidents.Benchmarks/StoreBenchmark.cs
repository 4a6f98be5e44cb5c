using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;
using LiteDB;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// Storing incidents with their evidence through the store (redaction, dedup keys, numbering,
/// transactions) against LiteDB's own InsertBulk of the same documents into a fresh file.
/// </summary>
public sealed class StoreBenchmark : IBenchmark
{
    public string Name => "store";
    public string Description => "store N incidents + evidence via IIncidentStore vs raw LiteDB InsertBulk";

    public void Run(BenchmarkContext context)
    {
        var incidents = context.Size(1_000);
        var evidencePer = 100;
        var gen = new IncidentGenerator();
        var data = Enumerable.Range(0, incidents).Select(i => gen.Incident(i)).ToList();
        var evidence = data.Select(i => gen.LogEvents(i.Id, evidencePer).ToList()).ToList();
        var dir = context.TempDirectory("store");

        var baseline = BenchmarkContext.Time(() =>
        {
            using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dir, "raw.db"), Connection = ConnectionType.Direct });
            db.GetCollection("incidents").InsertBulk(data.Select(i =>
            {
                var doc = LiteDB.JsonSerializer.Deserialize(IncidentJson.Serialize(i, indented: false)).AsDocument;
                doc["_id"] = i.Id;
                return doc;
            }));
            var col = db.GetCollection("evidence");
            col.EnsureIndex("key", unique: true);
            foreach (var batch in evidence)
            {
                col.InsertBulk(batch.Select(e => new BsonDocument
                {
                    ["_id"] = $"{e.IncidentId}/{e.DedupKey}",
                    ["key"] = e.IncidentId + "\n" + e.DedupKey,
                    ["incidentId"] = e.IncidentId,
                    ["kind"] = "log-excerpt",
                    ["content"] = e.Content,
                    ["source"] = e.Source,
                    ["time"] = e.Time!.Value.UtcTicks,
                }));
            }
        });

        var ours = BenchmarkContext.Time(() =>
        {
            using var store = LiteDbIncidentStore.Open(Path.Combine(dir, "store.db"));
            for (var i = 0; i < data.Count; i++)
            {
                store.Put(data[i]);
                store.AddEvidence(evidence[i]);
            }
        });

        BenchmarkContext.Report($"{incidents} incidents x {evidencePer} evidence", ours, baseline, "LiteDB InsertBulk",
            incidents * (1L + evidencePer));
    }
}
