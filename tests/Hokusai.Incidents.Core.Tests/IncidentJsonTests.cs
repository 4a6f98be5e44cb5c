using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hokusai.Incidents.Serialization;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>
/// The model's JSON metadata is compiled in (for start-up time); the stored records, case files and
/// <c>--json</c> output must read and write exactly as the reflection-built metadata did.
/// </summary>
public sealed class IncidentJsonTests
{
    private static readonly string Example = Path.Combine(RepositoryRoot(), "incidents", "2025-08-18-model-registration-failure");

    /// <summary>The same options with metadata built by reflection only: what the JSON looked like before.</summary>
    private static JsonSerializerOptions ByReflection(JsonSerializerOptions options) =>
        new(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [Fact]
    public void An_incident_is_written_byte_for_byte_as_reflection_writes_it()
    {
        var incident = IncidentJson.Deserialize<Incident>(File.ReadAllText(Path.Combine(Example, "incident.json")));
        Assert.NotEmpty(incident.Hypotheses);
        Assert.NotEmpty(incident.Tasks);
        Assert.NotEmpty(incident.Timeline);

        foreach (var options in new[] { IncidentJson.Options, IncidentJson.Compact })
        {
            var reflected = JsonSerializer.Serialize(incident, ByReflection(options));
            Assert.Equal(reflected, JsonSerializer.Serialize(incident, options));
            var readBack = JsonSerializer.Deserialize<Incident>(reflected, options)!;
            Assert.Equal(reflected, JsonSerializer.Serialize(readBack, ByReflection(options)));
        }
    }

    [Fact]
    public void Evidence_of_every_kind_in_the_example_round_trips_unchanged()
    {
        var lines = Directory.GetFiles(Path.Combine(Example, "evidence"), "*.jsonl")
            .SelectMany(File.ReadLines)
            .Where(l => l.Length > 0)
            .ToList();
        Assert.NotEmpty(lines);
        var reflection = ByReflection(IncidentJson.Compact);
        foreach (var exported in lines)
        {
            // An exported line leaves out the incident id (its folder says it); a stored record has it.
            var line = "{\"incidentId\":\"x\"," + exported[1..];
            var viaReflection = JsonSerializer.Deserialize<Evidence>(line, reflection)!;
            var viaContext = JsonSerializer.Deserialize<Evidence>(line, IncidentJson.Compact)!;
            Assert.Equal(JsonSerializer.Serialize(viaReflection, reflection), JsonSerializer.Serialize(viaContext, IncidentJson.Compact));
        }
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

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Hokusai.Incidents.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("the example incident is found from inside the repository");
    }
}
