using System.Text.Json.Nodes;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>Case files are checked whole before anything is written, and imported under their normalised id.</summary>
public sealed class CaseFileSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-case-" + Guid.NewGuid().ToString("N"));
    private readonly LiteDbIncidentStore _store;

    public CaseFileSafetyTests()
    {
        Directory.CreateDirectory(_dir);
        _store = LiteDbIncidentStore.Open(Path.Combine(_dir, "incidents.db"));
    }

    private static JsonObject Valid() => JsonNode.Parse(new CaseFile
    {
        Incident = new Incident
        {
            Id = "foo-bar",
            Title = "Registry 504",
            Hypotheses = [new Hypothesis { Number = 1, Title = "DNS", Confidence = 40 }],
            Tasks = [new FixTask { Number = 1, Title = "fix" }, new FixTask { Number = 2, Title = "deploy", Parent = 1 }],
        },
        Evidence = [new Evidence { IncidentId = "foo-bar", Number = 1, Kind = EvidenceKind.Note, Content = "old note" }],
    }.ToJson())!.AsObject();

    public static TheoryData<string, string> Broken => new()
    {
        { "no format", "no \"format\"" },
        { "version 0", "version 0 is not valid" },
        { "duplicate task", "task T1 appears more than once" },
        { "duplicate hypothesis", "hypothesis H1 appears more than once" },
        { "duplicate evidence", "evidence E1 appears more than once" },
        { "confidence 1000", "confidence 1000" },
        { "parent cycle", "parent cycle" },
        { "missing parent", "parent T9, which is not in the case file" },
        { "self dependency", "depends on T1, which is itself" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_case_file_is_refused_before_anything_is_written(string breakage, string expected)
    {
        var json = Valid();
        var incident = json["incident"]!.AsObject();
        var tasks = incident["tasks"]!.AsArray();
        switch (breakage)
        {
            case "no format": json.Remove("format"); break;
            case "version 0": json["version"] = 0; break;
            case "duplicate task": tasks[1]!["number"] = 1; tasks[1]!.AsObject().Remove("parent"); break;
            case "duplicate hypothesis": incident["hypotheses"]!.AsArray().Add(JsonNode.Parse("{\"number\":1,\"title\":\"again\"}")); break;
            case "duplicate evidence": json["evidence"]!.AsArray().Add(json["evidence"]![0]!.DeepClone()); break;
            case "confidence 1000": incident["hypotheses"]![0]!["confidence"] = 1000; break;
            case "parent cycle": tasks[0]!["parent"] = 2; break;
            case "missing parent": tasks[1]!["parent"] = 9; break;
            case "self dependency": tasks[0]!["dependsOn"] = new JsonArray(1); break;
        }

        var e = Assert.Throws<InvalidInputException>(() => CaseFile.Parse(json.ToJsonString(), "case.json"));

        Assert.StartsWith("case.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message);
        Assert.Empty(_store.List());
    }

    [Fact]
    public void A_different_incident_under_an_id_that_normalises_to_an_existing_one_needs_replace()
    {
        CaseFile.Parse(Valid().ToJsonString(), "a.json").ImportInto(_store, replace: false);
        var other = Valid();
        other["incident"]!["id"] = "Foo Bar";
        other["incident"]!["title"] = "A different outage";
        other["evidence"]![0]!["incidentId"] = "Foo Bar";
        other["evidence"]![0]!["content"] = "new note";
        var file = CaseFile.Parse(other.ToJsonString(), "b.json");

        var e = Assert.Throws<InvalidInputException>(() => file.ImportInto(_store, replace: false));
        Assert.Contains("'Foo Bar' is stored as 'foo-bar'", e.Message);
        Assert.Equal("Registry 504", _store.Get("foo-bar").Title);

        var replaced = file.ImportInto(_store, replace: true);

        Assert.Equal(("foo-bar", CaseImportOutcome.Replaced, 1), (replaced.IncidentId, replaced.Outcome, replaced.EvidenceRemoved));
        Assert.Equal("A different outage", _store.Get("foo-bar").Title);
        // The old record's evidence did not stay attached to the new one.
        Assert.Equal(["new note"], _store.ListEvidence("foo-bar").Select(x => x.Content));
        Assert.Single(_store.List());
    }

    [Fact]
    public void An_id_too_long_is_bad_input_not_a_database_error()
    {
        var e = Assert.Throws<InvalidInputException>(() => _store.Find(new string('a', 2000)));
        Assert.Equal(2, e.ExitCode);
        Assert.Contains("at most 200", e.Message);
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
