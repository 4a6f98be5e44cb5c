using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>The commands end to end: index kept current by writes, rebuilt when it cannot be trusted.</summary>
public sealed class SearchCliTests
{
    private static CliHarness Seeded()
    {
        var h = new CliHarness();
        using (var store = LiteDbIncidentStore.Open(h.DatabasePath, new StoreOptions { Clock = h.Clock }))
        {
            KnowledgeBase.Seed(store);
        }
        return h;
    }

    private static string IndexDirectory(CliHarness h) => IndexSchema.DirectoryFor(h.DatabasePath);

    [Fact]
    public void First_search_builds_the_missing_index_with_a_notice_and_ranks_hits()
    {
        using var h = Seeded();
        var r = h.Run("search", "504 after deploy", "--json").ShouldSucceed();
        Assert.Contains("search index not found", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        var hits = r.Json.GetProperty("hits");
        Assert.Equal(KnowledgeBase.BadDeploy, hits[0].GetProperty("incidentId").GetString());
        Assert.Contains("**504**", hits[0].GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.True(hits[0].GetProperty("score").GetDouble() > 0);

        // Now current: no notice.
        var again = h.Run("search", "504").ShouldSucceed();
        Assert.Equal("", again.Error);
        Assert.Contains(KnowledgeBase.BadDeploy, again.Out, StringComparison.Ordinal);
        Assert.Contains("**504**", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Rebuilding_shows_progress_on_a_terminal_and_nothing_when_piped()
    {
        using var h = Seeded();
        var piped = h.Run("reindex").ShouldSucceed();
        Assert.Equal("", piped.Error);
        Assert.StartsWith("Indexed 8 incident(s)", piped.Out, StringComparison.Ordinal);

        h.ErrorIsTerminal = true;
        var shown = h.Run("reindex").ShouldSucceed();
        Assert.Contains("Indexing", shown.Error, StringComparison.Ordinal);
        Assert.Contains("8/8 incidents", shown.Error, StringComparison.Ordinal);
        Assert.StartsWith("Indexed 8 incident(s)", shown.Out, StringComparison.Ordinal);

        // A current index is used as it is: no bar flickers before every search.
        Assert.Equal("", h.Run("search", "NXDOMAIN").ShouldSucceed().Error);
    }

    [Fact]
    public void A_search_that_falls_back_to_any_word_says_so()
    {
        using var h = Seeded();
        h.Run("reindex").ShouldSucceed();
        var fallback = h.Run("search", "NXDOMAIN", "OOMKilled").ShouldSucceed();
        Assert.Equal("incidents: no item has every word; showing items with any of them", fallback.Error.Trim());
        Assert.Contains(KnowledgeBase.Dns, fallback.Out, StringComparison.Ordinal);

        var json = h.Run("search", "NXDOMAIN OOMKilled", "--json").ShouldSucceed().Json;
        Assert.Equal("any", json.GetProperty("match").GetString());
        Assert.Equal("all", h.Run("search", "NXDOMAIN registry", "--json").ShouldSucceed().Json.GetProperty("match").GetString());

        var asked = h.Run("search", "NXDOMAIN registry", "--any", "--json").ShouldSucceed();
        Assert.Equal("", asked.Error);
        Assert.Equal("any", asked.Json.GetProperty("match").GetString());
    }

    [Fact]
    public void Writes_through_the_cli_keep_the_index_current()
    {
        using var h = Seeded();
        h.Run("reindex").ShouldSucceed();
        h.Run("evidence", "add", KnowledgeBase.Redis, "--kind", "log", "ConnectionError: MISCONF Redis is configured to save RDB snapshots").ShouldSucceed();
        h.Run("hypothesis", "add", KnowledgeBase.Redis, "Snapshot disk full on the cache node").ShouldSucceed();
        h.Run("hypothesis", "set", KnowledgeBase.Redis, "H3", "--status", "refuted", "--outcome", "Plenty of free disk").ShouldSucceed();
        h.Run("task", "add", KnowledgeBase.Redis, "Alert on ingress rule removal for sg-cache").ShouldSucceed();
        h.Run("timeline", "add", KnowledgeBase.Redis, "Paged the on-call for queue backlog", "--at", "2025-02-10T00:20:00Z").ShouldSucceed();

        var r = h.Run("search", "MISCONF", "--json").ShouldSucceed();
        Assert.Equal("", r.Error);
        var hit = r.Json.GetProperty("hits")[0];
        Assert.Equal((KnowledgeBase.Redis, "evidence", "E2"), (hit.GetProperty("incidentId").GetString(), hit.GetProperty("kind").GetString(), hit.GetProperty("item").GetString()));

        var refuted = h.Run("search", "snapshot disk", "--kind", "hypothesis", "--json").ShouldSucceed().Json.GetProperty("hits")[0];
        Assert.Equal("H3", refuted.GetProperty("item").GetString());
        Assert.Contains("refuted", refuted.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("T2", h.Run("search", "ingress alert", "--kind", "task", "--json").ShouldSucceed().Json.GetProperty("hits")[0].GetProperty("item").GetString());
        Assert.Contains("on-call", h.Run("search", "paged", "--kind", "timeline").ShouldSucceed().Out, StringComparison.Ordinal);

        h.Run("update", KnowledgeBase.Redis, "--title", "Celery workers lose Redis: ingress rule dropped").ShouldSucceed();
        var retitled = h.Run("search", "title:dropped", "--json").ShouldSucceed().Json.GetProperty("hits");
        Assert.Equal(KnowledgeBase.Redis, retitled[0].GetProperty("incidentId").GetString());
        Assert.Equal("", h.Run("search", "x").Error);

        h.Run("delete", KnowledgeBase.Redis, "--yes").ShouldSucceed();
        var gone = h.Run("search", "MISCONF OR ECONNREFUSED", "--json").ShouldSucceed();
        Assert.Equal(0, gone.Json.GetProperty("totalHits").GetInt32());
        Assert.Equal("", gone.Error);
    }

    [Fact]
    public void Linking_existing_evidence_updates_its_indexed_links()
    {
        using var h = Seeded();
        h.Run("evidence", "add", KnowledgeBase.Redis, "--kind", "log", "ConnectionError: MISCONF Redis is configured to save RDB snapshots").ShouldSucceed();
        h.Run("hypothesis", "add", KnowledgeBase.Redis, "Snapshot disk full on the cache node").ShouldSucceed();
        static string Snippet(CliRun r) => r.Json.GetProperty("hits")[0].GetProperty("snippet").GetString()!;
        Assert.DoesNotContain("H3", Snippet(h.Run("search", "MISCONF", "--json").ShouldSucceed()), StringComparison.Ordinal);

        h.Run("evidence", "link", KnowledgeBase.Redis, "E2", "--supports", "H3").ShouldSucceed();

        var linked = h.Run("search", "MISCONF", "--json").ShouldSucceed();
        Assert.Equal("", linked.Error);
        Assert.Contains("H3", Snippet(linked), StringComparison.Ordinal);
        Assert.Single(linked.Json.GetProperty("hits").EnumerateArray());
    }

    [Fact]
    public void A_write_after_changes_made_elsewhere_catches_the_index_up()
    {
        using var h = Seeded();
        h.Run("reindex").ShouldSucceed();
        using (var store = LiteDbIncidentStore.Open(h.DatabasePath))
        {
            store.Update(KnowledgeBase.Oom, i => i with { Lessons = ["Set memory reservations from p99 usage, not averages"] });
            store.AddEvidence([new Evidence { IncidentId = KnowledgeBase.Oom, Kind = EvidenceKind.Note, Content = "cgroup memory.max reached at 14:02" }]);
        }
        // This write sees the index more than one change behind and compares every incident.
        h.Run("task", "add", KnowledgeBase.Dns, "Add a CNAME monitor").ShouldSucceed();

        var r = h.Run("search", "reservations cgroup", "--json").ShouldSucceed();
        Assert.Equal("", r.Error);
        var hits = r.Json.GetProperty("hits");
        Assert.Equal(2, hits.GetArrayLength());
        Assert.All(hits.EnumerateArray(), hit => Assert.Equal(KnowledgeBase.Oom, hit.GetProperty("incidentId").GetString()));
        Assert.Equal(KnowledgeBase.Dns, h.Run("search", "CNAME monitor", "--kind", "task", "--json").Json.GetProperty("hits")[0].GetProperty("incidentId").GetString());
    }

    [Fact]
    public void Deleted_index_directory_is_rebuilt_with_a_notice()
    {
        using var h = Seeded();
        h.Run("reindex").ShouldSucceed();
        System.IO.Directory.Delete(IndexDirectory(h), recursive: true);
        var r = h.Run("search", "ECONNREFUSED", "--json").ShouldSucceed();
        Assert.StartsWith("incidents: search index not found", r.Error, StringComparison.Ordinal);
        Assert.Equal(KnowledgeBase.Redis, r.Json.GetProperty("hits")[0].GetProperty("incidentId").GetString());
    }

    [Fact]
    public void Index_behind_the_store_is_rebuilt_with_a_notice()
    {
        using var h = Seeded();
        h.Run("reindex").ShouldSucceed();
        // A write that bypasses the CLI hooks, as another tool or an older version would make.
        using (var store = LiteDbIncidentStore.Open(h.DatabasePath))
        {
            store.Update(KnowledgeBase.Dns, i => i with { Lessons = ["Compare zone exports with dnscontrol before switching"] });
        }
        var r = h.Run("search", "dnscontrol", "--json").ShouldSucceed();
        Assert.Contains("search index is behind the database", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal(KnowledgeBase.Dns, r.Json.GetProperty("hits")[0].GetProperty("incidentId").GetString());
    }

    [Fact]
    public void Index_of_another_schema_version_is_rebuilt_with_a_notice()
    {
        using var h = Seeded();
        h.Run("reindex").ShouldSucceed();
        using (var dir = FSDirectory.Open(IndexDirectory(h)))
        using (var writer = new IndexWriter(dir, new IndexWriterConfig(Lucene.Net.Util.LuceneVersion.LUCENE_48, new TechnicalAnalyzer())))
        {
            writer.DeleteAll();
            writer.SetCommitData(new Dictionary<string, string> { ["hokusai.schema"] = "0", ["hokusai.changeSequence"] = "999999" });
            writer.Commit();
        }
        var r = h.Run("search", "registry.hokus.ai", "--json").ShouldSucceed();
        Assert.Contains("schema version 0", r.Error, StringComparison.Ordinal);
        Assert.Equal(KnowledgeBase.Dns, r.Json.GetProperty("hits")[0].GetProperty("incidentId").GetString());
    }

    [Fact]
    public void Query_syntax_error_is_one_line_without_a_stack_trace()
    {
        using var h = Seeded();
        var r = h.Run("search", "(504 OR timeout");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.StartsWith("incidents: error: invalid query '(504 OR timeout'", r.Error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);

        var dangling = h.Run("search", "timeout AND");
        Assert.NotEqual(0, dangling.ExitCode);
        Assert.Contains("invalid query 'timeout AND'", dangling.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", dangling.Error, StringComparison.Ordinal);

        var badFilter = h.Run("search", "x", "--severity", "urgent");
        Assert.NotEqual(0, badFilter.ExitCode);
        Assert.Contains("invalid severity 'urgent'", badFilter.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_on_the_command_line()
    {
        using var h = Seeded();
        var r = h.Run("search", "exit code 137", "--service", "billing", "--status", "mitigating", "--since", "2025-07-15", "--json").ShouldSucceed();
        var hits = r.Json.GetProperty("hits");
        Assert.True(hits.GetArrayLength() > 0);
        Assert.All(hits.EnumerateArray(), hit => Assert.Equal(KnowledgeBase.OomAgain, hit.GetProperty("incidentId").GetString()));

        var limited = h.Run("search", "deploy OR memory OR dns", "--limit", "2", "--json").ShouldSucceed().Json;
        Assert.Equal(2, limited.GetProperty("hits").GetArrayLength());
        Assert.True(limited.GetProperty("totalHits").GetInt32() > 2);
    }

    [Fact]
    public void Similar_and_show_list_the_closest_past_incidents()
    {
        using var h = Seeded();
        var similar = h.Run("similar", KnowledgeBase.Dns, "--json").ShouldSucceed().Json;
        Assert.Equal(KnowledgeBase.DnsAgain, similar[0].GetProperty("id").GetString());
        var shared = similar[0].GetProperty("sharedTerms").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("nxdomain", shared);

        var table = h.Run("similar", KnowledgeBase.Oom).ShouldSucceed().Out;
        Assert.Contains(KnowledgeBase.OomAgain, table, StringComparison.Ordinal);

        var show = h.Run("show", KnowledgeBase.Credentials).ShouldSucceed().Out;
        Assert.Contains("Similar past incidents:", show, StringComparison.Ordinal);
        var listed = show[show.IndexOf("Similar past incidents:", StringComparison.Ordinal)..].Split('\n').Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.InRange(listed.Count, 1, 3);

        var unknown = h.Run("similar", "no-such-incident");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("unknown incident 'no-such-incident'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reindex_rebuilds_from_the_store()
    {
        using var h = Seeded();
        var r = h.Run("reindex").ShouldSucceed();
        Assert.Contains("Indexed 8 incident(s)", r.Out, StringComparison.Ordinal);
        Assert.Equal("", h.Run("search", "NXDOMAIN").ShouldSucceed().Error);
    }
}
