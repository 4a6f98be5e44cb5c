using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>The <c>incidents render</c> command end to end, through the real CLI with a temporary database.</summary>
public class RenderCommandTests
{
    private static CliHarness WithSample()
    {
        var h = new CliHarness();
        var input = SampleIncident.Build();
        var file = h.PathOf("sample.json");
        File.WriteAllText(file, new CaseFile { Incident = input.Incident, Evidence = input.Evidence }.ToJson());
        h.Run("import", file).ShouldSucceed();
        return h;
    }

    private static string TemplatesDir(CliHarness h, params (string Name, string Text)[] files)
    {
        var dir = h.PathOf("my-templates");
        Directory.CreateDirectory(dir);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(dir, name + TemplateSet.Extension), text);
        }
        return dir;
    }

    [Fact]
    public void One_document_goes_to_standard_output()
    {
        using var h = WithSample();

        var r = h.Run("render", SampleIncident.Id, "--doc", "postmortem").ShouldSucceed();

        Assert.StartsWith("# Postmortem: Webhook deliveries stuck in the outbound queue\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("| Time to detect | 2025-03-04T09:12:00Z (started) | 2025-03-04T09:30:00Z (detected) | 18 minutes |", r.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.PathOf("incidents")));
    }

    [Fact]
    public void All_documents_are_written_to_the_incident_directory_by_default()
    {
        using var h = WithSample();

        h.Run("render", SampleIncident.Id, "--doc", "all").ShouldSucceed();

        var dir = h.PathOf(Path.Combine("incidents", SampleIncident.Id));
        Assert.Equal(TemplateSet.StandardDocuments.Select(d => d + ".md").Order(),
            Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Html_pages_stand_alone_beside_the_markdown_with_tables_and_task_lists()
    {
        using var h = WithSample();

        h.Run("render", SampleIncident.Id, "--doc", "all", "--out", "out", "--html").ShouldSucceed();

        foreach (var doc in TemplateSet.StandardDocuments)
        {
            Assert.True(File.Exists(h.PathOf($"out/{doc}.md")), doc);
            var html = File.ReadAllText(h.PathOf($"out/{doc}.html"));
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        }
        Assert.Contains("<table>", File.ReadAllText(h.PathOf("out/postmortem.html")), StringComparison.Ordinal);
        var tasks = File.ReadAllText(h.PathOf("out/fix-tasks.html"));
        Assert.Contains("class=\"task-list-item\"", tasks, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\" checked=\"checked\"", tasks, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_in_the_templates_directory_overrides_the_shipped_one()
    {
        using var h = WithSample();
        var dir = TemplatesDir(h, ("postmortem", "Our postmortem of {{ incident.title | md }}\n"));

        var r = h.Run("render", SampleIncident.Id, "--doc", "postmortem", "--templates", dir).ShouldSucceed();

        Assert.Equal("Our postmortem of Webhook deliveries stuck in the outbound queue\n", r.Out);
    }

    [Fact]
    public void A_new_document_kind_exists_by_having_a_template_and_joins_all()
    {
        using var h = WithSample();
        var dir = TemplatesDir(h, ("brief", "# Brief: {{ incident.title | cell }}\n\n{{ incident.hypotheses.size }} hypotheses\n"));
        h.Variables[TemplateSet.EnvironmentVariable] = dir;

        var one = h.Run("render", SampleIncident.Id, "--doc", "brief").ShouldSucceed();
        h.Run("render", SampleIncident.Id, "--doc", "all", "--out", "out").ShouldSucceed();

        Assert.Equal("# Brief: Webhook deliveries stuck in the outbound queue\n\n3 hypotheses\n", one.Out);
        Assert.Equal(one.Out, File.ReadAllText(h.PathOf("out/brief.md")));
        Assert.True(File.Exists(h.PathOf("out/postmortem.md")));
    }

    [Fact]
    public void Unknown_document_names_the_choices()
    {
        using var h = WithSample();

        var r = h.Run("render", SampleIncident.Id, "--doc", "memo");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unknown document 'memo'", r.Error, StringComparison.Ordinal);
        Assert.Contains("postmortem", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# {{ incident.title | cell }}\n\n{{ for x in }}\n", 3, 13)]
    [InlineData("# {{ incident.title | cell }}\n\nText {{ incident.titel }}\n", 3, 18)]
    [InlineData("# {{ incident.title | cell }}\n\n{{ no_such_helper incident.title }}\n", 3, 4)]
    public void A_broken_template_names_file_line_and_column_and_writes_nothing(string template, int line, int column)
    {
        using var h = WithSample();
        var dir = TemplatesDir(h, ("status", template));

        var r = h.Run("render", SampleIncident.Id, "--doc", "all", "--out", "out", "--templates", dir);

        Assert.NotEqual(0, r.ExitCode);
        var path = Path.Combine(dir, "status.sbn-md");
        Assert.StartsWith($"incidents: error: {path}:{line}:", r.Error, StringComparison.Ordinal);
        Assert.Contains($"{path}:{line}:{column}:", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(h.PathOf("out")));
    }

    [Fact]
    public void Rendering_twice_gives_the_same_bytes_even_at_a_different_time()
    {
        using var h = WithSample();
        h.Run("render", SampleIncident.Id, "--doc", "all", "--out", "a", "--html").ShouldSucceed();
        h.Clock.Advance(TimeSpan.FromDays(3));
        h.Run("render", SampleIncident.Id, "--doc", "all", "--out", "b", "--html").ShouldSucceed();

        foreach (var file in Directory.GetFiles(h.PathOf("a")))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(h.PathOf("b"), Path.GetFileName(file))));
        }
    }

    [Fact]
    public void Unknown_incident_is_a_one_line_error()
    {
        using var h = new CliHarness();

        var r = h.Run("render", "no-such-incident", "--doc", "postmortem");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("no-such-incident", r.Error, StringComparison.Ordinal);
    }
}
