using System.Text.Json;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Import.Tests;

public sealed class ImportCommandTests
{
    private static readonly string[] CheckoutFiles = ["checkout-incident-crlf.md", "checkout-fix-plan.md", "checkout-hypotheses.md"];

    private static string[] Args(params string[] extra) => ["import", .. CheckoutFiles.Select(Fixture.PathOf), .. extra];

    [Fact]
    public void Several_documents_about_one_incident_become_one_incident()
    {
        using var h = new CliHarness();
        var run = h.Run(Args("--json")).ShouldSucceed();
        var files = run.Json.EnumerateArray().ToList();
        Assert.Equal(["created", "merged", "merged"], files.Select(f => f.GetProperty("outcome").GetString()));
        var id = files[0].GetProperty("incidentId").GetString()!;
        Assert.All(files, f => Assert.Equal(id, f.GetProperty("incidentId").GetString()));
        var list = h.Run("list", "--json").ShouldSucceed().Json;
        Assert.Equal(1, list.GetArrayLength());
        var incident = h.Run("show", id, "--json").ShouldSucceed().Json;
        Assert.Equal(12, incident.GetProperty("tasks").GetArrayLength());
        Assert.Equal(3, incident.GetProperty("hypotheses").GetArrayLength());
        Assert.Equal("sev2", incident.GetProperty("severity").GetString());
    }

    [Fact]
    public void Importing_the_same_documents_again_adds_nothing()
    {
        using var h = new CliHarness();
        h.Run(Args()).ShouldSucceed();
        var id = h.Run("list", "--json").Json[0].GetProperty("id").GetString()!;
        var before = h.Run("show", id, "--json").ShouldSucceed().Out;
        var evidenceBefore = h.Run("evidence", "list", id, "--json").ShouldSucceed().Json.GetArrayLength();
        var again = h.Run(Args("--json")).ShouldSucceed().Json;
        Assert.All(again.EnumerateArray(), f => Assert.Equal("unchanged", f.GetProperty("outcome").GetString()));
        Assert.Equal(1, h.Run("list", "--json").Json.GetArrayLength());
        Assert.Equal(before, h.Run("show", id, "--json").Out);
        Assert.Equal(evidenceBefore, h.Run("evidence", "list", id, "--json").Json.GetArrayLength());
    }

    [Fact]
    public void Dry_run_reports_what_would_happen_writes_nothing_and_shows_no_secret()
    {
        using var h = new CliHarness();
        var run = h.Run(Args("--dry-run", "--json")).ShouldSucceed();
        // Not even an empty database is left behind when there was none.
        Assert.False(File.Exists(h.DatabasePath));
        Assert.DoesNotContain("sk_live_9f8e7d6c5b4a39281706", run.Out, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", run.Out, StringComparison.Ordinal);
        var files = run.Json.EnumerateArray().ToList();
        Assert.Equal(12, files[1].GetProperty("counts").GetProperty("tasksAdded").GetInt32());
        Assert.Contains(files[0].GetProperty("notes").EnumerateArray(), n => n.GetProperty("headingPath").GetString() == "Scratchpad");
        Assert.Equal(0, h.Run("list", "--json").ShouldSucceed().Json.GetArrayLength());
        var text = h.Run(Args("--dry-run")).ShouldSucceed().Out;
        Assert.Contains("would create", text, StringComparison.Ordinal);
        Assert.Contains("note [Scratchpad]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live_", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_in_a_document_never_reach_the_database()
    {
        using var h = new CliHarness();
        h.Run(Args()).ShouldSucceed();
        var bytes = Directory.GetFiles(h.Directory, "incidents*").SelectMany(File.ReadAllBytes).ToArray();
        Assert.Equal(-1, bytes.AsSpan().IndexOf("sk_live_9f8e7d6c5b4a39281706"u8));
    }

    [Fact]
    public void A_bad_file_is_reported_in_one_line_and_the_others_are_still_imported()
    {
        using var h = new CliHarness();
        File.WriteAllBytes(h.PathOf("scan.md"), [0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]);
        File.WriteAllText(h.PathOf("title-only.md"), "# Nothing here\n");
        var run = h.Run("import", Fixture.PathOf("checkout-fix-plan.md"), "scan.md", "title-only.md", "missing.md", "--json");
        Assert.Equal(2, run.ExitCode);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(errors, l => l.StartsWith("incidents: error: scan.md: ", StringComparison.Ordinal));
        Assert.Contains(errors, l => l.StartsWith("incidents: error: missing.md: ", StringComparison.Ordinal));
        Assert.Contains(errors, l => l.StartsWith("incidents: warning: title-only.md: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        var list = h.Run("list", "--json").ShouldSucceed().Json;
        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal(12, h.Run("show", list[0].GetProperty("id").GetString()!, "--json").Json.GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public void Into_merges_a_document_into_an_existing_incident()
    {
        using var h = new CliHarness();
        var id = h.Run("new", "Checkout outage, March", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        h.Run("import", Fixture.PathOf("checkout-fix-plan.md"), "--into", id).ShouldSucceed();
        Assert.Equal(12, h.Run("show", id, "--json").Json.GetProperty("tasks").GetArrayLength());
        Assert.Equal(1, h.Run("list", "--json").Json.GetArrayLength());
        var unknown = h.Run("import", Fixture.PathOf("checkout-fix-plan.md"), "--into", "no-such-incident");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no-such-incident", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_files_still_import_through_the_same_command()
    {
        using var h = new CliHarness();
        h.Run(Args()).ShouldSucceed();
        var id = h.Run("list", "--json").Json[0].GetProperty("id").GetString()!;
        var exported = h.PathOf("case.json");
        h.Run("export", id, "--output", exported).ShouldSucceed();
        h.Run("delete", id, "--yes").ShouldSucceed();
        var run = h.Run("import", "case.json", "--json").ShouldSucceed();
        var file = Assert.Single(run.Json.EnumerateArray());
        Assert.Equal("case", file.GetProperty("kind").GetString());
        Assert.Equal(12, h.Run("show", id, "--json").Json.GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public void Json_report_says_where_each_part_of_a_document_went()
    {
        using var h = new CliHarness();
        var report = h.Run("import", Fixture.PathOf("checkout-incident-crlf.md"), "--json").ShouldSucceed().Json[0];
        var placements = report.GetProperty("placements").EnumerateArray()
            .Select(p => (p.GetProperty("heading").GetString(), p.GetProperty("target").GetString())).ToList();
        Assert.Contains(("Overview", "field:severity"), placements);
        Assert.Contains(("Error Output", "evidence"), placements);
        Assert.Contains(("Scratchpad", "note"), placements);
        Assert.Equal(3, report.GetProperty("evidenceAdded").GetInt32());
        Assert.Equal(JsonValueKind.Object, report.GetProperty("counts").ValueKind);
    }
}
