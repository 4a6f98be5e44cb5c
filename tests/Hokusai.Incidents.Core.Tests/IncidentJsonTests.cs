using System.Text.Json;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>The one JSON shape of the model: what case files, the store and <c>--json</c> rely on.</summary>
public sealed class IncidentJsonTests
{
    [Fact]
    public void A_case_file_that_leaves_fields_out_reads_them_as_the_records_defaults()
    {
        // The generated JSON reader sets every init-only property it does not find to null or 0 instead
        // of keeping the record's initializer (dotnet/runtime#84484); the records fall back to their defaults.
        var file = CaseFile.Parse("""
            {"format": "hokusai-incidents-case", "version": 1,
             "incident": {"id": "a", "title": "t",
                          "hypotheses": [{"number": 1, "title": "h"}],
                          "timeline": [{"at": "2025-08-18T09:00:00Z", "text": "paged"}]},
             "evidence": [{"incidentId": "a", "number": 1, "kind": "note", "content": "c"}]}
            """, "case.json");
        var incident = file.Incident;
        Assert.Equal(Severity.Sev3, incident.Severity);
        Assert.Equal(IncidentStatus.Investigating, incident.Status);
        Assert.Empty(incident.Tasks);
        Assert.Empty(incident.Components.Services);
        Assert.Empty(incident.Reproduction.Steps);
        Assert.Null(incident.Times.Resolved);
        var hypothesis = Assert.Single(incident.Hypotheses);
        Assert.Equal(HypothesisStatus.Open, hypothesis.Status);
        Assert.Empty(hypothesis.SupportingEvidence);
        Assert.Null(hypothesis.TestMethod.ExpectedIfTrue);
        Assert.Equal(TimelineKind.Action, Assert.Single(incident.Timeline).Kind);
        Assert.Empty(file.Evidence[0].Supports);
        Assert.Empty(file.Evidence[0].Attributes);
        // Written back, the defaults are spelled out, so the file reads the same anywhere.
        var again = CaseFile.Parse(file.ToJson(), "again.json");
        Assert.Equal(IncidentJson.Serialize(file), IncidentJson.Serialize(again));
        Assert.Contains("\"kind\": \"action\"", file.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_words_and_utc_times_still_come_from_the_shared_converters()
    {
        var incident = new Incident
        {
            Id = "a",
            Title = "t",
            Severity = Severity.Sev1,
            Status = IncidentStatus.Mitigating,
            CreatedAt = new DateTimeOffset(2025, 8, 18, 14, 30, 0, TimeSpan.FromHours(2)),
        };
        var json = IncidentJson.Serialize(incident, indented: false);
        Assert.Contains("\"severity\":\"sev1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"mitigating\"", json, StringComparison.Ordinal);
        Assert.Contains("\"createdAt\":\"2025-08-18T12:30:00Z\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("summary", json, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => IncidentJson.Deserialize<Incident>("""{"id":"a","title":"t","severity":1}"""));
    }
}
