using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Rendering.Tests;

public class RenderModelTests
{
    [Fact]
    public void Similar_issues_from_search_come_before_the_incidents_own_notes()
    {
        var input = SampleIncident.Build() with
        {
            Similar = [new SimilarIssue("2024-05-01-broker-outage", "Broker unreachable after network change", ["broker", "egress"])],
        };

        var markdown = Rendering.Render("investigation", input);

        var section = markdown[markdown.IndexOf("### Similar past issues", StringComparison.Ordinal)..];
        var found = section.IndexOf("- `2024-05-01-broker-outage`: Broker unreachable after network change (shared terms: `broker`, `egress`)", StringComparison.Ordinal);
        var note = section.IndexOf("- Queue outage after the broker upgrade last spring", StringComparison.Ordinal);
        Assert.True(found >= 0 && note > found, section);
    }

    [Fact]
    public void Secrets_in_evidence_are_rendered_redacted()
    {
        using var h = new CliHarness();
        var id = h.Run("new", "Key leak drill", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        h.Run("evidence", "add", id, "--kind", "log-excerpt", "client used AKIAIOSFODNN7EXAMPLE and password=hunter2secret").ShouldSucceed();

        h.Run("render", id, "--doc", "all", "--out", "out", "--html").ShouldSucceed();

        Assert.Contains("client used", File.ReadAllText(h.PathOf("out/status.md")), StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(h.PathOf("out")))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2secret", text, StringComparison.Ordinal);
        }
    }
}
