using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>
/// A team's archive imported in one command: Fixtures/Archive holds 31 documents about 26 incidents,
/// one of them spread over four files, one over three (one of which shares no title words with the
/// others, only the day and the names it mentions), and two outages with the same title and service
/// on different days.
/// </summary>
public sealed class ArchiveImportTests
{
    private static void CopyArchive(CliHarness h)
    {
        var target = Path.Combine(h.Directory, "archive");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Archive"), "*.md"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    [Fact]
    public void A_folder_of_31_documents_makes_one_incident_per_incident()
    {
        using var h = new CliHarness();
        CopyArchive(h);
        var files = h.Run("import", "archive", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(31, files.Count);
        var list = h.Run("list", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(26, list.Count);
        // The index is current when the import returns: the first search neither rebuilds it nor misses what came in.
        var search = h.Run("search", "webhook", "--json").ShouldSucceed();
        Assert.DoesNotContain("index", search.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("2024-05-07-payments-webhook-delivery-delays", search.Out, StringComparison.Ordinal);

        string IncidentOf(string file) => files.Single(f => f.GetProperty("file").GetString() == Path.Combine("archive", file)).GetProperty("incidentId").GetString()!;

        var webhooks = new[] { "2024-05-07-webhooks-postmortem.md", "2024-05-07-webhooks-timeline.md", "2024-05-07-webhooks-actions.md", "2024-05-07-webhooks-rca.md" }.Select(IncidentOf).Distinct().ToList();
        Assert.Equal(["2024-05-07-payments-webhook-delivery-delays"], webhooks);
        var dns = new[] { "staging-dns-outage.md", "staging-dns-follow-ups.md", "resolver-pods-crashlooping.md" }.Select(IncidentOf).Distinct().ToList();
        Assert.Single(dns);
        Assert.StartsWith("2023-02-20-", dns[0]);
        // Same title and service, a different day: another outage.
        Assert.NotEqual(IncidentOf("2022-01-11-orders-db-primary.md"), IncidentOf("2022-08-30-orders-db-primary.md"));

        var merged = h.Run("show", webhooks[0], "--json").ShouldSucceed().Json;
        Assert.Equal(2, merged.GetProperty("tasks").GetArrayLength());
        // The deploy at 12:58 from the timeline file and the four postmortem entries (13:05 told twice is one entry).
        Assert.Equal(5, merged.GetProperty("timeline").GetArrayLength());
        // The first document's start stands; the timeline file's earlier first entry is kept beside it as a note, not overwritten.
        Assert.Equal("2024-05-07T13:05:00Z", merged.GetProperty("times").GetProperty("started").GetString());
        Assert.Contains(merged.GetProperty("notes").EnumerateArray(), n => n.GetProperty("text").GetString() == "2024-05-07T12:58:00Z");
        Assert.Contains("halved the worker pool", merged.GetProperty("rootCause").GetString());

        // The why of each merge is shown.
        var reason = files.Single(f => f.GetProperty("file").GetString() == Path.Combine("archive", "2024-05-07-webhooks-rca.md")).GetProperty("reason").GetString();
        Assert.Contains("webhook", reason);
    }

    [Fact]
    public void Importing_the_archive_again_adds_nothing_and_dry_run_shows_the_same_grouping()
    {
        using var h = new CliHarness();
        CopyArchive(h);
        var dry = h.Run("import", "archive", "--dry-run", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(26, dry.Select(f => f.GetProperty("incidentId").GetString()).Distinct().Count());
        Assert.False(File.Exists(h.DatabasePath));

        var first = h.Run("import", "archive", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(dry.Select(f => f.GetProperty("incidentId").GetString()), first.Select(f => f.GetProperty("incidentId").GetString()));
        var again = h.Run("import", "archive", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.All(again, f => Assert.Equal("unchanged", f.GetProperty("outcome").GetString()));
        Assert.Equal(26, h.Run("list", "--json").Json.GetArrayLength());
    }

    [Fact]
    public void Together_and_separate_override_the_grouping()
    {
        using var h = new CliHarness();
        CopyArchive(h);
        var together = h.Run("import", "archive/2022-01-11-orders-db-primary.md", "archive/2021-03-02-media-upload-api.md", "--together", "--json").ShouldSucceed().Json;
        Assert.Single(together.EnumerateArray().Select(f => f.GetProperty("incidentId").GetString()).Distinct());

        using var h2 = new CliHarness();
        CopyArchive(h2);
        var separate = h2.Run("import", "archive/2024-05-07-webhooks-postmortem.md", "archive/2024-05-07-webhooks-rca.md", "--separate", "--json").ShouldSucceed().Json;
        Assert.Equal(2, separate.EnumerateArray().Select(f => f.GetProperty("incidentId").GetString()).Distinct().Count());

        var both = h2.Run("import", "archive", "--together", "--separate");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("incidents: error:", both.Error);
    }

    [Fact]
    public void Text_output_shows_each_incident_with_its_documents_and_why_they_joined()
    {
        using var h = new CliHarness();
        CopyArchive(h);
        var output = h.Run("import", "archive", "--dry-run").ShouldSucceed().Out;
        Assert.Contains("new incident 2024-05-07-payments-webhook-delivery-delays: 4 documents", output);
        Assert.Contains("why: same incident as", output);
    }
}
