using System.Text;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Core.Tests;

public sealed class StoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-core-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 8, 21, 9, 0, 0, TimeSpan.Zero));

    public StoreTests() => Directory.CreateDirectory(_dir);

    private string DbPath => Path.Combine(_dir, "incidents.db");

    private LiteDbIncidentStore Open() => LiteDbIncidentStore.Open(DbPath, new StoreOptions { Clock = _clock });

    private static Incident Draft(string title, DateTimeOffset? started = null) => new()
    {
        Id = "",
        Title = title,
        Times = new IncidentTimes { Started = started ?? new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero) },
    };

    [Fact]
    public void Creates_readable_unique_ids_from_date_and_title()
    {
        using var store = Open();
        var a = store.Create(Draft("Model registration failure!"));
        var b = store.Create(Draft("Model registration failure"));
        Assert.Equal("2025-08-18-model-registration-failure", a.Id);
        Assert.Equal("2025-08-18-model-registration-failure-2", b.Id);
        Assert.Equal(1, a.Revision);
    }

    [Fact]
    public void Update_is_read_modify_write_and_bumps_revision()
    {
        using var store = Open();
        var id = store.Create(Draft("x")).Id;
        _clock.Now = _clock.Now.AddMinutes(5);
        var updated = store.Update(id, i => i.AddHypothesis(new Hypothesis { Number = 0, Title = "DNS", Confidence = 40 }));
        Assert.Equal(2, updated.Revision);
        Assert.Equal(_clock.Now, updated.UpdatedAt);
        Assert.Equal("H1", store.Get(id).Hypotheses.Single().Key);
    }

    [Fact]
    public void A_failing_change_leaves_the_incident_as_it_was()
    {
        using var store = Open();
        var id = store.Create(Draft("x")).Id;
        Assert.Throws<NotFoundException>(() => store.Update(id, i => i.SetTaskDone(9, true, _clock.Now)));
        Assert.Equal(1, store.Get(id).Revision);
    }

    [Fact]
    public void Evidence_is_numbered_per_incident_and_stored_once()
    {
        using var store = Open();
        var a = store.Create(Draft("a")).Id;
        var b = store.Create(Draft("b")).Id;
        Evidence Log(string id, string text, string? key = null) =>
            new() { IncidentId = id, Kind = EvidenceKind.LogExcerpt, Content = text, DedupKey = key };

        var first = store.AddEvidence([Log(a, "one", "ev-1"), Log(a, "two", "ev-2"), Log(b, "other")]);
        var again = store.AddEvidence([Log(a, "one again, same event id", "ev-1"), Log(b, "other"), Log(a, "three")]);

        Assert.Equal(3, first.Added);
        Assert.Equal(1, again.Added);
        Assert.Equal(2, again.Skipped);
        Assert.Equal(["one", "two", "three"], store.ListEvidence(a).Select(e => e.Content));
        Assert.Equal([1L, 2, 3], store.ListEvidence(a).Select(e => e.Number));
        Assert.Equal([1L], store.ListEvidence(b).Select(e => e.Number));
    }

    [Fact]
    public void Evidence_is_listed_in_order_across_pages_and_from_a_number_on()
    {
        using var store = Open();
        // "a-1" sorts right after "a" and before "a/": its evidence must not leak into a's listing.
        var a = store.Create(Draft("a", started: null) with { Id = "a" }).Id;
        var neighbour = store.Create(Draft("a 1") with { Id = "a-1" }).Id;
        store.AddEvidence([.. Enumerable.Range(1, 12_345).Select(n => new Evidence { IncidentId = a, Kind = EvidenceKind.LogExcerpt, Content = $"line {n}" })]);
        store.AddEvidence([new Evidence { IncidentId = neighbour, Kind = EvidenceKind.Note, Content = "elsewhere" }]);

        var all = store.ListEvidence(a).ToList();
        Assert.Equal(Enumerable.Range(1, 12_345).Select(n => (long)n), all.Select(e => e.Number));
        Assert.Equal("line 12345", all[^1].Content);
        Assert.Equal([12_344L, 12_345], store.ListEvidence(a, new EvidenceQuery { After = 12_343 }).Select(e => e.Number));
        Assert.Equal(5_001L, store.ListEvidence(a, new EvidenceQuery { After = 5_000, Limit = 1 }).Single().Number);
        Assert.Equal(["elsewhere"], store.ListEvidence(neighbour).Select(e => e.Content));
    }

    [Fact]
    public void Evidence_read_at_once_is_the_listing_in_number_order_whatever_gaps_the_numbers_have()
    {
        using var store = Open();
        var a = store.Create(Draft("a") with { Id = "a" }).Id;
        var neighbour = store.Create(Draft("a 1") with { Id = "a-1" }).Id;
        var empty = store.Create(Draft("empty")).Id;
        // Several ranges are read side by side; numbers with holes and one far out leave ranges uneven or empty.
        long[] numbers = [.. Enumerable.Range(1, 3_000).Select(n => (long)n), .. Enumerable.Range(7_000, 500).Select(n => (long)n), 40_000];
        store.AddEvidence([.. numbers.Select(n => new Evidence { IncidentId = a, Number = n, Kind = EvidenceKind.LogExcerpt, Content = $"line {n}" })]);
        store.AddEvidence([new Evidence { IncidentId = neighbour, Kind = EvidenceKind.Note, Content = "elsewhere" }]);

        var read = store.ReadEvidence(a);

        Assert.Equal(numbers, read.Select(e => e.Number));
        Assert.Equal(store.ListEvidence(a).Select(e => e.Content), read.Select(e => e.Content));
        Assert.Equal("line 40000", read[^1].Content);
        Assert.Empty(store.ReadEvidence(empty));
        Assert.Equal(["elsewhere"], store.ReadEvidence(neighbour).Select(e => e.Content));
    }

    private static string Describe(Evidence e) => string.Join(" | ",
        e.IncidentId, e.Number, e.Kind, e.Content, e.Source ?? "<none>", e.Time?.UtcTicks.ToString() ?? "<none>", e.Title ?? "<none>",
        e.Language ?? "<none>", string.Join(",", e.Supports), string.Join(",", e.Refutes),
        string.Join(",", e.Attributes.Select(a => a.Key + "=" + a.Value)), e.DedupKey, e.CollectedAt.UtcTicks);

    [Fact]
    public void Evidence_with_every_member_set_or_none_reads_back_as_it_was_stored()
    {
        using var store = Open();
        var id = store.Create(Draft("round trip")).Id;
        var full = new Evidence
        {
            IncidentId = id,
            Kind = EvidenceKind.EcsEvent,
            // Longer than a shared value, with text from beyond ASCII and line breaks.
            Content = "Tâche arrêtée: essential container exited 🚨\n" + new string('x', 400) + "\r\nend",
            Source = "ecs:hokusai-api",
            Time = new DateTimeOffset(2025, 8, 18, 9, 12, 30, 456, TimeSpan.Zero),
            Title = "Task stopped",
            Language = "text",
            Supports = ["H1", "T2.1"],
            Refutes = ["H3"],
            Attributes = new Dictionary<string, string> { ["cluster"] = "hokusai", ["taskArn"] = "arn:aws:ecs:us-east-1:1:task/x", ["stopCode"] = "EssentialContainerExited" },
            DedupKey = "ecs:task/x:stopped",
        };
        var bare = new Evidence { IncidentId = id, Kind = EvidenceKind.Note, Content = "" };
        store.AddEvidence([full, bare]);

        var read = store.ReadEvidence(id);

        Assert.Equal(Describe(full with { Number = 1, CollectedAt = _clock.GetUtcNow() }), Describe(read[0]));
        Assert.Equal(["cluster", "taskArn", "stopCode"], read[0].Attributes.Keys);
        Assert.Equal("", read[1].Content);
        Assert.Null(read[1].Source);
        Assert.Null(read[1].Time);
        Assert.Null(read[1].Title);
        Assert.Empty(read[1].Supports);
        Assert.Empty(read[1].Attributes);
        Assert.StartsWith("sha256:", read[1].DedupKey, StringComparison.Ordinal);
        Assert.Equal(read.Select(Describe), store.ListEvidence(id).Select(Describe));
    }

    [Fact]
    public void Evidence_stored_a_field_per_member_by_schema_version_1_reads_back_whole_and_is_rewritten_when_changed()
    {
        string id;
        using (var store = Open())
        {
            id = store.Create(Draft("older database")).Id;
        }
        var time = new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero);
        // What version 1 wrote: every member its own field, the incident id and dedup key repeated.
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Shared }))
        {
            var meta = db.GetCollection("meta");
            var schema = meta.FindById("schema");
            schema["version"] = 1;
            meta.Update(schema);
            db.GetCollection("evidence").Insert(new LiteDB.BsonDocument
            {
                ["_id"] = id + "/000000000007",
                ["key"] = id + "\ncwl2:abc",
                ["incidentId"] = id,
                ["number"] = 7L,
                ["kind"] = "log-excerpt",
                ["content"] = "ERROR: Redis port 6379 blocked",
                ["dedupKey"] = "cwl2:abc",
                ["collectedAt"] = time.AddMinutes(5).UtcTicks,
                ["source"] = "/ecs/hokusai-api",
                ["time"] = time.UtcTicks,
                ["supports"] = new LiteDB.BsonArray(new LiteDB.BsonValue("H1")),
                ["attributes"] = new LiteDB.BsonDocument { ["logGroup"] = "/ecs/hokusai-api", ["logStream"] = "ecs/api/1" },
            });
        }
        var expected = new Evidence
        {
            IncidentId = id,
            Number = 7,
            Kind = EvidenceKind.LogExcerpt,
            Content = "ERROR: Redis port 6379 blocked",
            Source = "/ecs/hokusai-api",
            Time = time,
            Supports = ["H1"],
            Attributes = new Dictionary<string, string> { ["logGroup"] = "/ecs/hokusai-api", ["logStream"] = "ecs/api/1" },
            DedupKey = "cwl2:abc",
            CollectedAt = time.AddMinutes(5),
        };

        using (var store = Open())
        {
            Assert.Equal(Describe(expected), Describe(Assert.Single(store.ReadEvidence(id))));
            Assert.Equal(Describe(expected), Describe(store.FindEvidenceByKey(id, "cwl2:abc")!));
            store.UpdateEvidence(id, 7, e => e with { Refutes = ["H2"] });
            Assert.Equal(Describe(expected with { Refutes = ["H2"] }), Describe(Assert.Single(store.ListEvidence(id))));
            // The same event attached again is still known by its key.
            Assert.Equal(0, store.AddEvidence([expected with { Number = 0 }]).Added);
        }
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Shared }))
        {
            // Opening marked the database with the current version, so an older incidents refuses it rather than misread it.
            Assert.Equal(LiteDbIncidentStore.SchemaVersion, db.GetCollection("meta").FindById("schema")["version"].AsInt32);
            var doc = db.GetCollection("evidence").FindById(id + "/000000000007");
            Assert.True(doc["v"].IsBinary);
            Assert.False(doc.ContainsKey("content"));
        }
    }

    [Fact]
    public void Evidence_read_at_once_inside_a_write_batch_includes_what_the_batch_wrote()
    {
        using var store = Open();
        var id = store.Create(Draft("batch") with { Id = "batch" }).Id;
        using (var batch = store.Batch())
        {
            store.AddEvidence([.. Enumerable.Range(1, 3_000).Select(n => new Evidence { IncidentId = id, Kind = EvidenceKind.Note, Content = $"note {n}" })]);
            // Not committed yet: only the batch's own transaction sees these.
            Assert.Equal(3_000, store.ReadEvidence(id).Count);
            batch.Commit();
        }
        Assert.Equal(3_000, store.ReadEvidence(id).Count);
    }

    [Fact]
    public void Batches_of_every_size_against_a_larger_incident_skip_exactly_what_is_stored()
    {
        // A small batch is looked up key by key, a medium one against an incident many times its size too
        // (a follow poll into a large incident), otherwise by ranges of keys; each must skip exactly the stored.
        using var store = Open();
        var id = store.Create(Draft("follow") with { Id = "follow" }).Id;
        static Evidence Line(string incident, int n) => new()
        {
            IncidentId = incident,
            Kind = EvidenceKind.LogExcerpt,
            Content = $"line {n}",
            DedupKey = "cwl2:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n)))[..32],
        };
        store.AddEvidence([.. Enumerable.Range(0, 3_000).Select(n => Line(id, n))]);
        var stored = Enumerable.Range(0, 3_000).ToHashSet();

        // 12 items: key by key; 100 against 3,002 stored: key by key too; 500 against 3,050: by ranges.
        foreach (var (from, count) in new[] { (2_990, 12), (2_950, 100), (2_800, 500) })
        {
            var batch = Enumerable.Range(from, count).ToList();
            var result = store.AddEvidence([.. batch.Select(n => Line(id, n))]);

            Assert.Equal(batch.Count(stored.Contains), result.Skipped);
            Assert.Equal(batch.Count(n => !stored.Contains(n)), result.Added);
            stored.UnionWith(batch);
        }
        Assert.Equal(3_300, store.CountEvidence(id));
        Assert.Equal(3_300, store.ReadEvidence(id).Select(e => e.DedupKey).Distinct().Count());
    }

    [Fact]
    public void Large_batches_skip_exactly_what_is_stored_though_another_store_and_a_replace_write_between_them()
    {
        // Large batches check their keys against a set read once and kept between batches; another writer
        // on the same file, or a write that removes evidence, must make this store read the set again.
        using var first = Open();
        using var second = Open();
        var id = first.Create(Draft("bulk") with { Id = "bulk" }).Id;
        Evidence Line(int n) => new() { IncidentId = id, Kind = EvidenceKind.LogExcerpt, Content = $"event {n}", DedupKey = $"event-{n}" };
        List<Evidence> Lines(int from, int count) => [.. Enumerable.Range(from, count).Select(Line)];

        Assert.Equal(1_500, first.AddEvidence(Lines(0, 1_500)).Added);
        Assert.Equal(1_000, second.AddEvidence(Lines(1_000, 1_500)).Added);
        var again = first.AddEvidence(Lines(500, 2_500));
        Assert.Equal((500, 2_000), (again.Added, again.Skipped));

        var incident = first.Get(id);
        first.Replace(incident, Lines(0, 10));
        var afterReplace = first.AddEvidence(Lines(0, 1_200));
        Assert.Equal((1_190, 10), (afterReplace.Added, afterReplace.Skipped));
        Assert.Equal(1_200, first.CountEvidence(id));
        Assert.Equal(1_200, second.ReadEvidence(id).Select(e => e.DedupKey).Distinct().Count());
    }

    [Fact]
    public void Evidence_for_an_unknown_incident_is_refused_and_nothing_is_written()
    {
        using var store = Open();
        var a = store.Create(Draft("a")).Id;
        Assert.Throws<NotFoundException>(() => store.AddEvidence([
            new Evidence { IncidentId = a, Kind = EvidenceKind.Note, Content = "kept?" },
            new Evidence { IncidentId = "nope", Kind = EvidenceKind.Note, Content = "x" },
        ]));
        Assert.Equal(0, store.CountEvidence(a));
    }

    [Fact]
    public void Secrets_never_reach_the_database_file()
    {
        const string key = "hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN";
        using (var store = Open())
        {
            var id = store.Create(Draft("Auth failing") with { Summary = "Used " + key }).Id;
            store.AddEvidence([new Evidence { IncidentId = id, Kind = EvidenceKind.LogExcerpt, Content = "Authorization: Bearer " + key + "x9", DedupKey = key }]);
            store.Update(id, i => i with { ErrorMessages = ["postgres://mlflow:Sup3rS3cret@db:5432/mlflow"] });
        }
        var bytes = Encoding.UTF8.GetString(File.ReadAllBytes(DbPath));
        Assert.DoesNotContain("pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN", bytes);
        Assert.DoesNotContain("Sup3rS3cret", bytes);
    }

    [Fact]
    public void Patterns_added_to_the_store_apply_to_later_writes_after_reopening()
    {
        using (var store = Open())
        {
            store.AddRedactionPattern("ACME-[0-9]{4}");
        }
        using (var store = Open())
        {
            var i = store.Create(Draft("ticket ACME-1234 leaked"));
            Assert.DoesNotContain("ACME-1234", i.Title);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_litedb_database_is_refused_and_left_untouched()
    {
        var original = Encoding.UTF8.GetBytes("# my notes\nnot a database at all\n" + new string('x', 9000));
        File.WriteAllBytes(DbPath, original);
        var e = Assert.Throws<StoreException>(() => Open());
        Assert.Contains(DbPath, e.Message);
        Assert.Contains("not a LiteDB database", e.Message);
        Assert.Equal(original, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public void An_incident_stored_a_field_per_member_by_schema_version_2_reads_back_whole_and_is_rewritten_when_changed()
    {
        var incident = Draft("Model registration fails") with
        {
            Id = "2025-08-18-model-registration",
            Severity = Severity.Sev1,
            Tags = ["mlflow", "äöü ✓"],
            Hypotheses = [new Hypothesis { Number = 1, Title = "Redis port blocked", Confidence = 85 }],
            Tasks = [new FixTask { Number = 1, Title = "Open port 6379", Due = new DateOnly(2025, 8, 22) }],
        };
        // Version 2 kept each member as a BSON field, made from the record's JSON as LiteDB's own reader makes it.
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Shared }))
        {
            db.GetCollection("meta").Insert(new LiteDB.BsonDocument { ["_id"] = "schema", ["version"] = 2 });
            db.GetCollection("meta").Insert(new LiteDB.BsonDocument { ["_id"] = "logEventKeys", ["version"] = 2 });
            var doc = LiteDB.JsonSerializer.Deserialize(IncidentJson.Serialize(incident, indented: false)).AsDocument;
            doc["_id"] = incident.Id;
            db.GetCollection("incidents").Insert(doc);
        }
        using (var store = Open())
        {
            Assert.Equal(IncidentJson.Serialize(incident), IncidentJson.Serialize(store.Get(incident.Id)));
            Assert.Equal([incident.Id], store.List().Select(i => i.Id));
            store.Update(incident.Id, i => i with { Summary = "port 6379 closed by a security group change" });
        }
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Shared }))
        {
            var doc = db.GetCollection("incidents").FindById(incident.Id);
            Assert.True(doc["json"].IsBinary);
            Assert.False(doc.ContainsKey("title"));
        }
        using (var store = Open())
        {
            var read = store.Get(incident.Id);
            Assert.Equal("port 6379 closed by a security group change", read.Summary);
            Assert.Equal(["mlflow", "äöü ✓"], read.Tags);
            Assert.Equal(new DateOnly(2025, 8, 22), read.Tasks[0].Due);
        }
    }

    [Fact]
    public void A_database_from_a_newer_schema_is_refused()
    {
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DbPath, Connection = LiteDB.ConnectionType.Shared }))
        {
            db.GetCollection("meta").Insert(new LiteDB.BsonDocument { ["_id"] = "schema", ["version"] = 99 });
        }
        var e = Assert.Throws<StoreException>(() => Open());
        Assert.Contains("schema version 99", e.Message);
    }

    [Fact]
    public void List_filters_by_status_severity_and_service()
    {
        using var store = Open();
        store.Create(Draft("api down") with { Severity = Severity.Sev1, Components = new AffectedComponents { Services = ["hokusai-api-development"] } });
        store.Create(Draft("slow dashboards") with { Severity = Severity.Sev3, Status = IncidentStatus.Resolved });
        Assert.Equal(["api down"], store.List(new IncidentQuery { Service = "hokusai-api" }).Select(i => i.Title));
        Assert.Equal(["slow dashboards"], store.List(new IncidentQuery { Status = IncidentStatus.Resolved }).Select(i => i.Title));
        Assert.Equal(["api down"], store.List(new IncidentQuery { Severity = Severity.Sev1 }).Select(i => i.Title));
    }

    [Fact]
    public void Change_sequence_grows_with_every_write()
    {
        using var store = Open();
        var before = store.ChangeSequence;
        var id = store.Create(Draft("x")).Id;
        store.AddEvidence([new Evidence { IncidentId = id, Kind = EvidenceKind.Note, Content = "n" }]);
        Assert.Equal(before + 2, store.ChangeSequence);
    }

    [Fact]
    public void An_incident_reads_back_exactly_as_written_nested_lists_times_and_markup_included()
    {
        var written = new Incident
        {
            Id = "round-trip-everything",
            Title = "Ünïcode, \"quotes\", <tags> and a tab\there",
            Revision = 7,
            Summary = "line one\nline two with `code` and **bold**",
            ErrorMessages = ["SyntaxError: '(' was never closed", ""],
            Tags = ["dns", "ümlaut"],
            Hypotheses = [new Hypothesis { Number = 1, Title = "H", Confidence = 85, Commands = [new CodeSnippet { Code = "curl -s http://x/health", Language = "bash" }] }],
            Tasks = [new FixTask { Number = 1, Title = "Parent", Priority = Priority.P1 }, new FixTask { Number = 2, Title = "Child", Parent = 1, Done = true, Due = new DateOnly(2025, 9, 1) }],
            Timeline = [new TimelineEntry { At = new DateTimeOffset(2025, 8, 18, 10, 0, 0, 848, TimeSpan.Zero), Text = "paged", Kind = TimelineKind.Detection }],
            CreatedAt = new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(2025, 8, 18, 9, 0, 0, TimeSpan.Zero),
        };
        using var store = Open();
        store.Put(written);
        Assert.Equal(IncidentJson.Serialize(written), IncidentJson.Serialize(store.Get(written.Id)));
    }

    [Fact]
    public void Case_file_round_trip_is_byte_identical()
    {
        string first;
        using (var store = Open())
        {
            var id = store.Create(Draft("round trip") with { Tags = ["dns"] }).Id;
            store.Update(id, i => i.AddTask(new FixTask { Number = 0, Title = "Fix it", Due = new DateOnly(2025, 8, 22) })
                .AddTimelineEntry(new TimelineEntry { At = new DateTimeOffset(2025, 8, 18, 10, 0, 0, TimeSpan.Zero), Text = "paged" }, _clock.Now));
            store.AddEvidence([new Evidence { IncidentId = id, Kind = EvidenceKind.LogExcerpt, Content = "boom", Time = _clock.Now.AddMilliseconds(848), Attributes = new Dictionary<string, string> { ["logGroup"] = "/ecs/x" } }]);
            first = CaseFile.FromStore(store, id).ToJson();
        }
        File.Delete(DbPath);
        using (var store = Open())
        {
            var parsed = CaseFile.Parse(first, "case.json");
            Assert.Equal(CaseImportOutcome.Created, parsed.ImportInto(store, replace: false).Outcome);
            Assert.Equal(first, CaseFile.FromStore(store, parsed.Incident.Id).ToJson());
            Assert.Equal(CaseImportOutcome.Unchanged, parsed.ImportInto(store, replace: false).Outcome);
            Assert.Equal(1, store.CountEvidence(parsed.Incident.Id));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
