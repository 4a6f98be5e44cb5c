using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Analysis.Tests;

/// <summary>Rules that used to live in the CLI (some written three times), now in Core and called directly.</summary>
public sealed class OnePlacePerRuleTests
{
    private static readonly DateTimeOffset Now = new(2025, 8, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(85, "High (85%)")]
    [InlineData(40, "Medium (40%)")]
    [InlineData(20, "Low (20%)")]
    [InlineData(null, "Unrated")]
    public void The_confidence_label_is_the_seeds_form(int? percent, string label) => Assert.Equal(label, Confidences.Label(percent));

    [Theory]
    [InlineData("85", 85)]
    [InlineData(" 60% ", 60)]
    [InlineData("High", 80)]
    [InlineData("low", 20)]
    public void Confidence_is_parsed_from_a_percent_or_a_level(string text, int expected) => Assert.Equal(expected, Confidences.Parse(text));

    [Theory]
    [InlineData("101")]
    [InlineData("likely")]
    public void A_bad_confidence_names_itself(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<InvalidInputException>(() => Confidences.Parse(text)).Message);

    [Fact]
    public void Hypotheses_are_ranked_by_confidence_unrated_last_then_by_number()
    {
        var ranked = Confidences.Ranked([
            new Hypothesis { Number = 1, Title = "a" },
            new Hypothesis { Number = 2, Title = "b", Confidence = 40 },
            new Hypothesis { Number = 3, Title = "c", Confidence = 85 },
            new Hypothesis { Number = 4, Title = "d", Confidence = 40 },
        ]);
        Assert.Equal([3, 2, 4, 1], ranked.Select(h => h.Number));
    }

    [Fact]
    public void A_sub_item_without_a_priority_takes_its_parents()
    {
        var incident = new Incident { Id = "x", Title = "x" }
            .AddTask(new FixTask { Number = 0, Title = "Fix", Priority = Priority.P1 })
            .AddTask(new FixTask { Number = 0, Title = "Sub", Parent = 1, Priority = null })
            .AddTask(new FixTask { Number = 0, Title = "Sub told otherwise", Parent = 1, Priority = Priority.P3 });
        Assert.Equal([Priority.P1, Priority.P1, Priority.P3], incident.Tasks.Select(t => t.Priority));
    }

    [Fact]
    public void Resolving_without_a_resolved_time_records_now_and_a_given_time_wins()
    {
        var incident = new Incident { Id = "x", Title = "x" };
        Assert.Equal(Now, incident.WithStatus(IncidentStatus.Resolved, incident.Times, Now).Times.Resolved);
        Assert.Equal(Now, incident.WithStatus(IncidentStatus.Closed, incident.Times, Now).Times.Resolved);
        Assert.Null(incident.WithStatus(IncidentStatus.Mitigating, incident.Times, Now).Times.Resolved);
        var given = Now.AddHours(-3);
        Assert.Equal(given, incident.WithStatus(IncidentStatus.Resolved, incident.Times with { Resolved = given }, Now).Times.Resolved);
    }

    [Fact]
    public void A_task_whose_parent_is_missing_stands_at_the_top_in_the_tree_the_CLI_and_documents_share()
    {
        var incident = new Incident
        {
            Id = "orphans",
            Title = "Orphaned sub-item",
            Tasks =
            [
                new FixTask { Number = 1, Title = "Fix" },
                new FixTask { Number = 2, Title = "Sub", Parent = 1 },
                new FixTask { Number = 3, Title = "Parent deleted by hand", Parent = 9 },
                new FixTask { Number = 4, Title = "Its own parent", Parent = 4 },
            ],
        };
        Assert.Equal([(1, 0), (2, 1), (3, 0), (4, 0)], TaskTree.Of(incident).Select(x => (x.Task.Number, x.Depth)));

        using var cli = new CliHarness();
        using (var store = LiteDbIncidentStore.Open(cli.DatabasePath))
        {
            store.Put(incident);
        }
        var listed = cli.Run("task", "list", "orphans", "--json").ShouldSucceed().Json.EnumerateArray().Select(t => t.GetProperty("number").GetInt32());
        Assert.Equal([1, 2, 3, 4], listed);
        Assert.Contains("Parent deleted by hand", cli.Run("task", "list", "orphans").ShouldSucceed().Out);
        Assert.Contains("Parent deleted by hand", cli.Run("render", "orphans", "--doc", "fix-tasks").ShouldSucceed().Out);
    }

    [Fact]
    public void A_status_set_by_an_imported_document_goes_into_the_status_history()
    {
        using var cli = new CliHarness(Now);
        var notes = cli.PathOf("hypotheses.md");
        File.WriteAllText(notes, """
            # Checkout latency hypotheses

            ## Hypothesis 1: Payment provider latency spike

            **Status**: Refuted
            **Confidence**: 70%

            The provider's charge endpoint got slower.
            """);
        var id = cli.Run("import", notes, "--json").ShouldSucceed().Json[0].GetProperty("incidentId").GetString()!;

        var h = cli.Run("hypothesis", "list", id, "--json").ShouldSucceed().Json[0];
        Assert.Equal("refuted", h.GetProperty("status").GetString());
        var change = Assert.Single(h.GetProperty("history").EnumerateArray());
        Assert.Equal("open", change.GetProperty("from").GetString());
        Assert.Equal("refuted", change.GetProperty("to").GetString());

        // Importing the same document again records nothing more.
        cli.Run("import", notes).ShouldSucceed();
        Assert.Single(cli.Run("hypothesis", "list", id, "--json").ShouldSucceed().Json[0].GetProperty("history").EnumerateArray());
    }
}
