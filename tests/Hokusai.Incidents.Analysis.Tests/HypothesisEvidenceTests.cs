using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Analysis.Tests;

public sealed class HypothesisEvidenceTests
{
    private static readonly Hypothesis ApiDown = new()
    {
        Number = 1,
        Title = "API container cannot start",
        TestMethod = new TestMethod
        {
            Steps = ["aws ecs describe-services --cluster hokusai-development --services hokusai-api-development"],
            ExpectedIfTrue = "0/1 tasks running, restart loop",
            ExpectedIfFalse = "1/1 running and healthy",
        },
    };

    private static Evidence Item(long n, string content, string? source = null, params string[] supports) => new()
    {
        IncidentId = "x",
        Number = n,
        Kind = EvidenceKind.EcsEvent,
        Content = content,
        Source = source,
        Supports = supports,
    };

    [Fact]
    public void Evidence_matching_either_side_of_the_test_is_suggested_with_the_words_that_matched()
    {
        var incident = new Incident { Id = "x", Title = "Registry 504", Hypotheses = [ApiDown] };
        var evidence = new[]
        {
            Item(1, "hokusai-api-development: 0/1 running (continuous restart loop)"),
            Item(2, "hokusai-api-development: 1/1 running and healthy"),
            Item(3, "disk usage on the bastion host is 40 percent"),
            Item(4, "SyntaxError: '(' was never closed", "/ecs/hokusai-api-development"),
            Item(5, "hokusai-api-development: 0/1 running", null, "H1"),
        };

        var matches = HypothesisEvidence.Suggest(incident, ApiDown, evidence);

        Assert.Equal(["E1", "E2", "E4"], matches.Select(m => m.Evidence).Order());
        var e1 = matches.Single(m => m.Evidence == "E1");
        Assert.Equal(Bearing.Supports, e1.Bearing);
        Assert.Contains("0/1", e1.Words);
        Assert.Contains("hokusai-api-development", e1.Words);
        var e2 = matches.Single(m => m.Evidence == "E2");
        Assert.Equal(Bearing.Refutes, e2.Bearing);
        Assert.Contains("1/1", e2.Words);
        Assert.Equal(Bearing.Related, matches.Single(m => m.Evidence == "E4").Bearing);
        Assert.Equal("E1", matches[0].Evidence);

        Assert.Equal(["H1"], HypothesisEvidence.Link(evidence[0], e1).Supports);
        Assert.Equal(["H1"], HypothesisEvidence.Link(evidence[1], e2).Refutes);
        Assert.Throws<InvalidInputException>(() => HypothesisEvidence.Link(evidence[3], matches.Single(m => m.Evidence == "E4")));
    }

    [Fact]
    public void A_large_incident_is_searched_whole_with_equal_lines_offered_in_number_order()
    {
        // Large enough to be split into words on two cores: the same line at both ends must come back as one kind of line.
        const string Loop = "hokusai-api-development: 0/1 running (continuous restart loop)";
        var evidence = Enumerable.Range(1, 8_000).Select(n => n switch
        {
            10 or 5_000 or 7_999 => Item(n, Loop),
            6_000 => Item(n, "hokusai-api-development: 1/1 running and healthy"),
            _ => Item(n, $"GET /health 200 OK {n % 7} ms"),
        }).ToList();
        var incident = new Incident { Id = "x", Title = "Registry 504", Hypotheses = [ApiDown] };

        var matches = HypothesisEvidence.Suggest(incident, ApiDown, evidence);

        Assert.Equal(["E10", "E5000", "E7999"], matches.Where(m => m.Bearing == Bearing.Supports).Select(m => m.Evidence));
        Assert.Equal(["E6000"], matches.Where(m => m.Bearing == Bearing.Refutes).Select(m => m.Evidence));
        Assert.Equal(4, matches.Count);
        var strongest = HypothesisEvidence.ForOpenHypotheses(incident, evidence)["H1"];
        Assert.Equal(matches.Take(strongest.Count).Select(m => m.Evidence), strongest.Select(m => m.Evidence));

        // Many hypotheses are scored side by side; each must get what it gets alone.
        var many = incident with { Hypotheses = [.. Enumerable.Range(1, 30).Select(n => ApiDown with { Number = n })] };
        var all = HypothesisEvidence.ForOpenHypotheses(many, evidence);
        Assert.Equal(30, all.Count);
        Assert.All(all.Values, m => Assert.Equal(strongest.Select(x => (x.Evidence, x.Bearing)), m.Select(x => (x.Evidence, x.Bearing))));
    }

    [Fact]
    public void The_investigation_document_lists_the_strongest_suggestions_of_open_hypotheses_only()
    {
        var refuted = new Hypothesis { Number = 2, Title = "hokusai-api-development out of memory", Status = HypothesisStatus.Refuted };
        var incident = new Incident { Id = "x", Title = "Registry 504", Hypotheses = [ApiDown, refuted] };
        var evidence = new[] { Item(1, "hokusai-api-development: 0/1 running (continuous restart loop)"), Item(2, "nothing to see") };
        var templates = Rendering.TemplateSet.Load(Rendering.TemplateSet.FindShipped(AppContext.BaseDirectory, Repository.Root), null);

        var doc = new Rendering.DocumentRenderer(templates).Render("investigation", new Rendering.RenderInput { Incident = incident, Evidence = evidence }).Markdown;

        Assert.Contains("| Status | Evidence to look at |", doc);
        Assert.Contains("| H1 | API container cannot start | Unrated | Open | E1 supports (0/1, hokusai-api-development, loop, restart) |", doc);
        Assert.Contains("| H2 | hokusai-api-development out of memory | Unrated | Refuted |  |", doc);
    }

    [Fact]
    public void The_command_lists_accepts_and_show_names_the_strongest_per_open_hypothesis()
    {
        using var cli = new CliHarness();
        cli.Run("new", "Registry 504", "--id", "r").ShouldSucceed();
        cli.Run("hypothesis", "add", "r", "API container cannot start", "--expect-true", "0/1 tasks running, restart loop",
            "--expect-false", "1/1 running and healthy", "--test-step", "aws ecs describe-services --services hokusai-api-development").ShouldSucceed();
        cli.Run("hypothesis", "add", "r", "DNS points at the wrong ALB", "--expect-true", "registry.hokus.ai resolves to 10.9.9.9").ShouldSucceed();
        cli.Run("evidence", "add", "r", "--kind", "ecs", "hokusai-api-development: 0/1 running (restart loop)").ShouldSucceed();
        cli.Run("evidence", "add", "r", "--kind", "note", "lunch menu").ShouldSucceed();

        var listed = cli.Run("hypothesis", "evidence", "r", "H1", "--json").ShouldSucceed().Json;
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal("E1", only.GetProperty("evidence").GetString());
        Assert.Equal("supports", only.GetProperty("bearing").GetString());

        var show = cli.Run("show", "r").ShouldSucceed().Out;
        Assert.Contains("H1  E1 supports", show);
        Assert.DoesNotContain("H2  E", show);

        cli.Run("hypothesis", "evidence", "r", "H1", "--accept", "E1").ShouldSucceed();
        Assert.Equal("H1", cli.Run("evidence", "list", "r", "--linked-to", "H1", "--json").ShouldSucceed().Json[0].GetProperty("supports")[0].GetString());
        Assert.Equal(0, cli.Run("hypothesis", "evidence", "r", "H1", "--json").ShouldSucceed().Json.GetArrayLength());
        var unknown = cli.Run("hypothesis", "evidence", "r", "H1", "--accept", "E2");
        Assert.Equal(3, unknown.ExitCode);
    }

    [Fact]
    public void The_render_command_suggests_what_rendering_the_same_incident_in_process_does()
    {
        // The command works the suggestions out ahead, beside the similar-incident lookup; the library
        // works them out while it builds the model. Both must give the same document.
        using var cli = new CliHarness();
        cli.Run("new", "Registry 504", "--id", "r").ShouldSucceed();
        cli.Run("hypothesis", "add", "r", "API container cannot start", "--expect-true", "0/1 tasks running, restart loop").ShouldSucceed();
        cli.Run("evidence", "add", "r", "--kind", "ecs", "hokusai-api-development: 0/1 running (restart loop)").ShouldSucceed();
        cli.Run("evidence", "add", "r", "--kind", "note", "lunch menu").ShouldSucceed();

        var rendered = cli.Run("render", "r", "--doc", "investigation").ShouldSucceed().Out;

        var row = rendered.Split('\n').Single(l => l.StartsWith("| H1 | API container cannot start |", StringComparison.Ordinal));
        Assert.Contains("| E1 supports (", row);
        using var store = Storage.LiteDbIncidentStore.Open(cli.DatabasePath);
        var templates = Rendering.TemplateSet.Load(Rendering.TemplateSet.FindShipped(AppContext.BaseDirectory, Repository.Root), null);
        var input = new Rendering.RenderInput { Incident = store.Get("r"), Evidence = store.ReadEvidence("r") };
        Assert.Equal(new Rendering.DocumentRenderer(templates).Render("investigation", input).Markdown, rendered);
    }
}
