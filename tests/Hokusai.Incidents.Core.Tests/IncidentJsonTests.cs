using System.Text.Json;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>The one JSON shape of the model: what case files, the store and <c>--json</c> rely on.</summary>
public sealed class IncidentJsonTests
{
    [Fact]
    public void A_case_file_that_leaves_lists_out_reads_them_as_empty()
    {
        // Source-generated JSON metadata (tried for start-up time) sets every init-only property it
        // does not find to null, so a hand-written file without "supports" broke import (dotnet/runtime#84484).
        var file = CaseFile.Parse("""
            {"format": "hokusai-incidents-case", "version": 1,
             "incident": {"id": "a", "title": "t"},
             "evidence": [{"incidentId": "a", "number": 1, "kind": "note", "content": "c"}]}
            """, "case.json");
        Assert.Empty(file.Incident.Hypotheses);
        Assert.Empty(file.Incident.Components.Services);
        Assert.Empty(file.Evidence[0].Supports);
        Assert.Empty(file.Evidence[0].Attributes);
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
