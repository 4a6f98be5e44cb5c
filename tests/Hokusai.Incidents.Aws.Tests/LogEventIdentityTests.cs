using System.Text.Json;
using System.Text.Json.Nodes;
using Hokusai.Incidents.Aws.Tests.Fakes;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>One CloudWatch Logs event is one piece of evidence, whichever way it arrives; events that really repeat are all kept.</summary>
public sealed class LogEventIdentityTests
{
    private const string Group = "/ecs/hokusai-mlflow-development";
    private const string Stream = "mlflow/abc";

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    private static Task<AttachResult> Attach(AwsTestBed bed, string path, string? group, string? stream) =>
        AwsCliFile.AttachAsync(bed.Store, path, new AttachOptions { IncidentId = bed.IncidentId, Group = group, Stream = stream }, TimeProvider.System, default);

    /// <summary>What <c>aws logs get-log-events</c> prints for these events: no group, no stream, no event ids.</summary>
    private static string GetLogEventsFile(AwsTestBed bed, IEnumerable<FakeLogEvent> events)
    {
        var list = new JsonArray([.. events.Select(e => (JsonNode)new JsonObject
        {
            ["timestamp"] = e.Timestamp,
            ["message"] = e.Message,
            ["ingestionTime"] = e.IngestionTime,
        })]);
        return Write(bed, "get-log-events", new JsonObject
        {
            ["events"] = list,
            ["nextForwardToken"] = "f/39150934791345029364170124962549712437261950278180438016/s",
            ["nextBackwardToken"] = "b/39150934790899107483746512381063920577310183522619097088/s",
        });
    }

    /// <summary>What <c>aws logs filter-log-events</c> prints: stream and event id per event, still no group.</summary>
    private static string FilterLogEventsFile(AwsTestBed bed, IEnumerable<FakeLogEvent> events)
    {
        var list = new JsonArray([.. events.Select(e => (JsonNode)new JsonObject
        {
            ["logStreamName"] = e.Stream,
            ["timestamp"] = e.Timestamp,
            ["message"] = e.Message,
            ["ingestionTime"] = e.IngestionTime,
            ["eventId"] = e.EventId,
        })]);
        return Write(bed, "filter-log-events", new JsonObject
        {
            ["events"] = list,
            ["searchedLogStreams"] = new JsonArray(new JsonObject { ["logStreamName"] = Stream, ["searchedCompletely"] = true }),
        });
    }

    private static string Write(AwsTestBed bed, string name, JsonObject json)
    {
        var path = Path.Combine(bed.Directory, $"{name}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>The events of Samples/get-log-events-repeated.json as the service holds them, each with its own event id.</summary>
    private static List<FakeLogEvent> RepeatedSampleAsServiceEvents()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Sample("get-log-events-repeated.json")));
        return [.. doc.RootElement.GetProperty("events").EnumerateArray().Select((e, i) => new FakeLogEvent(Stream,
            e.GetProperty("timestamp").GetInt64(), e.GetProperty("message").GetString()!,
            $"3915093479{i:D46}", e.GetProperty("ingestionTime").GetInt64()))];
    }

    [Fact]
    public async Task Events_pulled_then_attached_from_get_and_filter_log_events_output_with_and_without_group_are_stored_once()
    {
        await using var bed = new AwsTestBed();
        var events = FakeAwsServer.MakeEvents(Group, 25, AwsTestBed.T0, Stream).ToList();
        bed.Server.AddLogEvents(Group, events);

        Assert.Equal(25, (await (await bed.LogsPullerAsync()).PullAsync(bed.Request(Group), null, default)).Added);

        var getFile = GetLogEventsFile(bed, events);
        var withoutGroup = await Attach(bed, getFile, group: null, Stream);
        Assert.Equal((25L, 0L), (withoutGroup.Items, withoutGroup.Added));
        Assert.StartsWith($"log group '{Group}' taken from E1", withoutGroup.Note);
        var withoutEither = await Attach(bed, getFile, group: null, stream: null);
        Assert.Equal(0, withoutEither.Added);
        Assert.Contains($"log stream '{Stream}'", withoutEither.Note);
        var withBoth = await Attach(bed, getFile, Group, Stream);
        Assert.Equal(0, withBoth.Added);
        Assert.Null(withBoth.Note);
        var filterFile = FilterLogEventsFile(bed, events);
        Assert.Equal(0, (await Attach(bed, filterFile, group: null, stream: null)).Added);
        Assert.Equal(0, (await Attach(bed, filterFile, Group, stream: null)).Added);

        Assert.Equal(25, bed.Store.CountEvidence(bed.IncidentId));
        // The pulled copy keeps its event id: the attaches found it rather than replacing it.
        Assert.Equal(events[3].EventId, bed.Evidence()[3].Attributes[EvidenceAttributes.EventId]);
    }

    [Fact]
    public async Task Events_attached_first_from_get_log_events_output_are_not_stored_again_by_a_pull()
    {
        await using var bed = new AwsTestBed();
        var events = FakeAwsServer.MakeEvents(Group, 12, AwsTestBed.T0, Stream).ToList();
        bed.Server.AddLogEvents(Group, events);

        Assert.Equal(12, (await Attach(bed, GetLogEventsFile(bed, events), Group, Stream)).Added);
        var pulled = await (await bed.LogsPullerAsync()).PullAsync(bed.Request(Group), null, default);
        var byArn = await (await bed.LogsPullerAsync()).PullAsync(bed.Request($"arn:aws:logs:eu-west-1:123456789012:log-group:{Group}"), null, default);

        Assert.Equal((0L, 12L), (pulled.Added, pulled.Skipped));
        Assert.Equal(0, byArn.Added);
        Assert.Equal(12, bed.Store.CountEvidence(bed.IncidentId));
    }

    [Fact]
    public async Task A_logs_file_whose_group_nothing_names_is_refused_with_one_line_and_stores_nothing()
    {
        await using var bed = new AwsTestBed();
        var file = GetLogEventsFile(bed, FakeAwsServer.MakeEvents(Group, 3, AwsTestBed.T0, Stream));

        var noGroup = await Assert.ThrowsAsync<InvalidInputException>(() => Attach(bed, file, group: null, Stream));
        var noStream = await Assert.ThrowsAsync<InvalidInputException>(() => Attach(bed, file, Group, stream: null));

        Assert.Equal($"{file}: aws logs get-log-events output names no log group, and no stored event of stream '{Stream}' does; give --group", noGroup.Message);
        Assert.StartsWith($"{file}: aws logs get-log-events output names no log stream", noStream.Message);
        Assert.Empty(bed.Evidence());
    }

    [Fact]
    public async Task Ten_identical_events_of_get_log_events_output_are_ten_pieces_of_evidence_whichever_way_they_come()
    {
        await using var bed = new AwsTestBed();

        var attached = await Attach(bed, Sample("get-log-events-repeated.json"), Group, Stream);
        var again = await Attach(bed, Sample("get-log-events-repeated.json"), Group, Stream);

        Assert.Equal((12L, 12L), (attached.Items, attached.Added));
        Assert.Equal(0, again.Added);
        var stored = bed.Evidence();
        Assert.Equal(10, stored.Count(e => e.Content.StartsWith("psycopg2.OperationalError", StringComparison.Ordinal)));

        // The same twelve events from the service (ids of their own; pages of 4 split the repeats) and from filter-log-events output.
        var service = RepeatedSampleAsServiceEvents();
        bed.Server.AddLogEvents(Group, service);
        bed.Server.PageSize = 4;
        var pulled = await (await bed.LogsPullerAsync()).PullAsync(bed.Request(Group), null, default);
        var filtered = await Attach(bed, FilterLogEventsFile(bed, service), Group, stream: null);

        Assert.Equal((12L, 0L), (pulled.Events, pulled.Added));
        Assert.Equal(0, filtered.Added);
        Assert.Equal(12, bed.Store.CountEvidence(bed.IncidentId));
    }

    [Fact]
    public async Task A_pull_of_ten_identical_events_over_pages_of_three_stores_ten()
    {
        await using var bed = new AwsTestBed();
        bed.Server.AddLogEvents(Group, RepeatedSampleAsServiceEvents());
        bed.Server.PageSize = 3;

        var pulled = await (await bed.LogsPullerAsync()).PullAsync(bed.Request(Group), null, default);

        Assert.Equal((12L, 12L), (pulled.Events, pulled.Added));
        Assert.Equal(0, (await Attach(bed, Sample("get-log-events-repeated.json"), Group, Stream)).Added);
    }

    [Fact]
    public async Task Log_evidence_keyed_by_an_earlier_version_is_migrated_so_reattaching_and_pulling_add_nothing()
    {
        await using var bed = new AwsTestBed();
        var events = FakeAwsServer.MakeEvents(Group, 6, AwsTestBed.T0, Stream).ToList();
        // As earlier versions stored them: pulled events keyed by event id, a get-log-events attach by group:stream:time:hash.
        Evidence Legacy(FakeLogEvent e, bool withId) => new()
        {
            IncidentId = bed.IncidentId,
            Kind = EvidenceKind.LogExcerpt,
            Source = Group,
            Time = DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp),
            Content = e.Message,
            Attributes = new Dictionary<string, string>
            {
                [EvidenceAttributes.LogGroup] = Group,
                [EvidenceAttributes.LogStream] = Stream,
                [EvidenceAttributes.IngestionTime] = TimeInput.Format(DateTimeOffset.FromUnixTimeMilliseconds(e.IngestionTime)),
            }.Concat(withId ? [KeyValuePair.Create(EvidenceAttributes.EventId, e.EventId)] : []).ToDictionary(),
            DedupKey = withId ? "cwl:" + e.EventId : $"cwl:{Group}:{Stream}:{e.Timestamp}:0123456789abcdef{e.Timestamp % 97}",
            Supports = ["H1"],
        };
        bed.Store.AddEvidence([.. events.Take(4).Select(e => Legacy(e, withId: true)), .. events.Skip(2).Select(e => Legacy(e, withId: false))]);
        Assert.Equal(8, bed.Store.CountEvidence(bed.IncidentId));
        ForgetMigration(bed);

        bed.ReopenStore();
        bed.Server.AddLogEvents(Group, events);
        var pulled = await (await bed.LogsPullerAsync()).PullAsync(bed.Request(Group), null, default);
        var attached = await Attach(bed, GetLogEventsFile(bed, events), Group, Stream);

        Assert.Equal(0, pulled.Added);
        Assert.Equal(0, attached.Added);
        // Two events were stored twice by the earlier version; both copies stay, with their numbers and links.
        var stored = bed.Evidence();
        Assert.Equal(8, stored.Count);
        Assert.All(stored, e => Assert.Equal(["H1"], e.Supports));
        Assert.Equal(2, stored.Count(e => e.DedupKey!.Contains("|copy-of-earlier|", StringComparison.Ordinal)));
    }

    /// <summary>Makes the database look as an earlier version left it: no mark that log keys were migrated.</summary>
    private static void ForgetMigration(AwsTestBed bed)
    {
        bed.CloseStore();
        using var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = bed.DatabasePath, Connection = LiteDB.ConnectionType.Shared });
        Assert.True(db.GetCollection("meta").Delete("logEventKeys"));
    }

    [Fact]
    public void Occurrences_count_identical_events_per_millisecond_and_survive_a_checkpoint()
    {
        var counts = new LogEventOccurrences();
        Assert.Equal([0, 1, 0, 2], new[] { counts.Next("a", 5), counts.Next("a", 5), counts.Next("b", 5), counts.Next("a", 5) });

        var resumed = LogEventOccurrences.Restore(counts.Save());

        Assert.Equal(3, resumed.Next("a", 5));
        Assert.Equal(0, resumed.Next("a", 6));
        Assert.Equal(LogEventKey.Identity(Group, Stream, 5, 7, "x\n"), LogEventKey.Identity($"arn:aws:logs:eu-west-1:1:log-group:{Group}:*", Stream, 5, 7, "x"));
        Assert.NotEqual(LogEventKey.Identity(Group, Stream, 5, 7, "x"), LogEventKey.Identity(Group, Stream, 5, 8, "x"));
    }
}
