using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

public sealed class IncidentCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    private string NewIncident(string title = "Model registration failure", params string[] extra) =>
        _cli.Run(["new", title, "--started", "2025-08-18T09:00Z", "--json", .. extra]).ShouldSucceed().Json.GetProperty("id").GetString()!;

    [Fact]
    public void New_prints_the_incident_with_its_id_as_json()
    {
        var run = _cli.Run("new", "Model registration failure", "--severity", "critical", "--service", "hokusai-api-development",
            "--service", "hokusai-mlflow-development", "--started", "2025-08-18T09:00:00Z", "--json").ShouldSucceed();
        var json = run.Json;
        Assert.Equal("2025-08-18-model-registration-failure", json.GetProperty("id").GetString());
        Assert.Equal("sev1", json.GetProperty("severity").GetString());
        Assert.Equal("investigating", json.GetProperty("status").GetString());
        Assert.Equal("2025-08-18T09:00:00Z", json.GetProperty("times").GetProperty("started").GetString());
        Assert.Equal(["hokusai-api-development", "hokusai-mlflow-development"],
            json.GetProperty("components").GetProperty("services").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void List_filters_and_prints_json_rows()
    {
        NewIncident("API down", "--severity", "sev1", "--service", "hokusai-api-development");
        var dns = NewIncident("DNS broken", "--severity", "low");
        _cli.Run("update", dns, "--status", "resolved").ShouldSucceed();

        var all = _cli.Run("list", "--json").ShouldSucceed().Json;
        Assert.Equal(2, all.GetArrayLength());
        var resolved = _cli.Run("list", "--status", "resolved", "--json").ShouldSucceed().Json;
        Assert.Equal([dns], resolved.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var api = _cli.Run("list", "--service", "hokusai-api", "--json").ShouldSucceed().Json;
        Assert.Equal(["API down"], api.EnumerateArray().Select(r => r.GetProperty("title").GetString()));
        var sev4 = _cli.Run("list", "--severity", "sev4", "--json").ShouldSucceed().Json;
        Assert.Equal([dns], sev4.EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        var table = _cli.Run("list").ShouldSucceed().Out;
        Assert.Contains("API down", table);
        Assert.Contains("SEV1", table);
    }

    [Fact]
    public void Update_sets_fields_and_appends_to_lists()
    {
        var id = NewIncident();
        _cli.Run("update", id, "--status", "identified", "--root-cause", "Python syntax error in model_registry.py line 26",
            "--error-message", "SyntaxError: '(' was never closed", "--service", "hokusai-api-development").ShouldSucceed();
        _cli.Run("update", id, "--error-message", "504 Gateway Timeout").ShouldSucceed();
        var json = _cli.Run("show", id, "--json").ShouldSucceed().Json;
        Assert.Equal("identified", json.GetProperty("status").GetString());
        Assert.StartsWith("Python syntax error", json.GetProperty("rootCause").GetString());
        Assert.Equal(2, json.GetProperty("errorMessages").GetArrayLength());
        Assert.Equal(3, json.GetProperty("revision").GetInt32());
    }

    [Fact]
    public void Resolving_records_the_resolution_time()
    {
        var id = NewIncident();
        _cli.Run("update", id, "--status", "resolved").ShouldSucceed();
        var json = _cli.Run("show", id, "--json").ShouldSucceed().Json;
        Assert.Equal("2025-08-21T12:00:00Z", json.GetProperty("times").GetProperty("resolved").GetString());
    }

    [Fact]
    public void Show_gives_a_readable_overview()
    {
        var id = NewIncident();
        _cli.Run("hypothesis", "add", id, "ALB routing rules missing", "--confidence", "85").ShouldSucceed();
        _cli.Run("task", "add", id, "Fix syntax error and deploy", "--priority", "P1").ShouldSucceed();
        _cli.Run("timeline", "add", id, "--at", "2025-08-18T10:00Z", "--kind", "detection", "Registry returns 404").ShouldSucceed();
        var text = _cli.Run("show", id).ShouldSucceed().Out;
        Assert.Contains("Model registration failure", text);
        Assert.Contains("High (85%)", text);
        Assert.Contains("Fix syntax error and deploy", text);
        Assert.Contains("2025-08-18T10:00:00Z", text);
        Assert.Contains("Evidence: 0 item(s)", text);
    }

    [Fact]
    public void Timeline_lists_in_time_order_and_flags_entries_out_of_place()
    {
        var id = NewIncident();
        _cli.Run("timeline", "add", id, "--at", "2025-08-19T13:57Z", "Still failing").ShouldSucceed();
        _cli.Run("timeline", "add", id, "--at", "2025-08-18T10:00Z", "--kind", "detection", "First report").ShouldSucceed();
        var future = _cli.Run("timeline", "add", id, "--at", "2030-01-01T00:00Z", "Typo in the year").ShouldSucceed();
        Assert.Contains("flagged", future.Error);
        var entries = _cli.Run("timeline", "list", id, "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(["First report", "Still failing", "Typo in the year"], entries.Select(e => e.GetProperty("text").GetString()));
        Assert.False(entries[0].TryGetProperty("flag", out _));
        Assert.Contains("future", entries[2].GetProperty("flag").GetString());
    }

    [Fact]
    public void Hypothesis_status_changes_keep_a_dated_history()
    {
        var id = NewIncident();
        _cli.Run("hypothesis", "add", id, "DNS misconfiguration", "--confidence", "40", "--category", "Infrastructure Configuration",
            "--complexity", "simple", "--impact", "critical", "--test-step", "nslookup registry.hokus.ai",
            "--expect-true", "does not resolve", "--expect-false", "resolves to the ALB").ShouldSucceed();
        _cli.Clock.Advance(TimeSpan.FromHours(1));
        _cli.Run("hypothesis", "set", id, "H1", "--status", "refuted", "--outcome", "DNS resolves to the registry ALB").ShouldSucceed();
        var h = _cli.Run("hypothesis", "list", id, "--json").ShouldSucceed().Json[0];
        Assert.Equal("refuted", h.GetProperty("status").GetString());
        Assert.Equal("DNS resolves to the registry ALB", h.GetProperty("outcome").GetString());
        var change = h.GetProperty("history")[0];
        Assert.Equal("open", change.GetProperty("from").GetString());
        Assert.Equal("refuted", change.GetProperty("to").GetString());
        Assert.Equal("2025-08-21T13:00:00Z", change.GetProperty("at").GetString());
        Assert.Equal("does not resolve", h.GetProperty("testMethod").GetProperty("expectedIfTrue").GetString());
    }

    [Fact]
    public void Tasks_nest_depend_and_check_off()
    {
        var id = NewIncident();
        _cli.Run("task", "add", id, "Fix syntax error and deploy", "--priority", "P1", "--section", "1. Immediate fix", "--owner", "ana").ShouldSucceed();
        _cli.Run("task", "add", id, "Check model_registry.py line 26", "--parent", "T1").ShouldSucceed();
        _cli.Run("task", "add", id, "Validate endpoints", "--depends-on", "T1", "--due", "2025-08-22").ShouldSucceed();
        _cli.Run("task", "done", id, "T2").ShouldSucceed();
        var early = _cli.Run("task", "done", id, "T3").ShouldSucceed();
        Assert.Contains("depends on T1", early.Error);
        _cli.Run("task", "undone", id, "T3").ShouldSucceed();

        var tasks = _cli.Run("task", "list", id, "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(["T1", "T2", "T3"], tasks.Select(t => "T" + t.GetProperty("number").GetInt32()));
        Assert.Equal(1, tasks[1].GetProperty("parent").GetInt32());
        Assert.Equal("p1", tasks[1].GetProperty("priority").GetString());
        Assert.Equal("1. Immediate fix", tasks[1].GetProperty("section").GetString());
        Assert.True(tasks[1].GetProperty("done").GetBoolean());
        Assert.False(tasks[2].GetProperty("done").GetBoolean());
        Assert.Equal([1], tasks[2].GetProperty("dependsOn").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("2025-08-22", tasks[2].GetProperty("due").GetString());
    }

    [Fact]
    public void Evidence_comes_from_the_argument_or_standard_input_and_links_to_hypotheses()
    {
        var id = NewIncident();
        _cli.Run("hypothesis", "add", id, "API container cannot start").ShouldSucceed();
        var added = _cli.Run("evidence", "add", id, "--kind", "ecs-event", "--supports", "H1", "hokusai-api-development 0/1 running", "--json").ShouldSucceed().Json;
        Assert.Equal(1, added.GetProperty("added").GetInt32());
        Assert.Equal(1, added.GetProperty("evidence").GetProperty("number").GetInt64());
        const string log = "File \"/app/src/services/model_registry.py\", line 26\nSyntaxError: '(' was never closed";
        _cli.RunWithInput(log, "evidence", "add", id, "--kind", "log", "--source", "/ecs/hokusai-api-development",
            "--at", "2025-08-19T13:57Z", "--language", "python").ShouldSucceed();
        _cli.Run("evidence", "link", id, "E2", "--supports", "H1").ShouldSucceed();

        var items = _cli.Run("evidence", "list", id, "--json").ShouldSucceed().Json.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("ecs-event", items[0].GetProperty("kind").GetString());
        Assert.Equal(log, items[1].GetProperty("content").GetString());
        Assert.Equal("2025-08-19T13:57:00Z", items[1].GetProperty("time").GetString());
        Assert.Equal(["H1"], items[1].GetProperty("supports").EnumerateArray().Select(s => s.GetString()));
        var linked = _cli.Run("evidence", "list", id, "--linked-to", "H1", "--json").ShouldSucceed().Json;
        Assert.Equal(2, linked.GetArrayLength());

        var again = _cli.Run("evidence", "add", id, "--kind", "ecs-event", "--supports", "H1", "hokusai-api-development 0/1 running").ShouldSucceed();
        Assert.Contains("already has this evidence", again.Error);
        Assert.Equal(2, _cli.Run("evidence", "list", id, "--json").Json.GetArrayLength());
    }

    [Fact]
    public void Export_import_export_is_byte_identical()
    {
        var id = NewIncident("Round trip", "--severity", "high", "--tag", "alb");
        _cli.Run("hypothesis", "add", id, "Security groups block ALB to ECS", "--confidence", "20").ShouldSucceed();
        _cli.Run("task", "add", id, "Revert task definition to revision 108").ShouldSucceed();
        _cli.Run("timeline", "add", id, "--at", "2025-08-18T10:00Z", "Paged").ShouldSucceed();
        _cli.Run("evidence", "add", id, "--kind", "endpoint-check", "https://registry.hokus.ai/health -> timeout (5s)").ShouldSucceed();
        var first = _cli.Run("export", id).ShouldSucceed().Out;

        using var other = new CliHarness();
        File.WriteAllText(other.PathOf("case.json"), first);
        other.Run("import", "case.json").ShouldSucceed();
        other.Run("export", id, "-o", "again.json").ShouldSucceed();
        Assert.Equal(first, File.ReadAllText(other.PathOf("again.json")));

        var twice = other.Run("import", "case.json").ShouldSucceed();
        Assert.Contains("unchanged", twice.Out);
    }

    [Fact]
    public void Importing_a_different_case_under_an_existing_id_needs_replace()
    {
        var id = NewIncident("Original");
        var json = _cli.Run("export", id).ShouldSucceed().Out;
        File.WriteAllText(_cli.PathOf("case.json"), json.Replace("\"Original\"", "\"Edited\"", StringComparison.Ordinal));
        var refused = _cli.Run("import", "case.json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--replace", refused.Error);
        Assert.Equal("Original", _cli.Run("show", id, "--json").Json.GetProperty("title").GetString());
        _cli.Run("import", "case.json", "--replace").ShouldSucceed();
        Assert.Equal("Edited", _cli.Run("show", id, "--json").Json.GetProperty("title").GetString());
    }

    [Fact]
    public void Db_option_overrides_the_environment_variable()
    {
        var path = _cli.PathOf("other.db");
        _cli.Run("--db", path, "new", "Elsewhere").ShouldSucceed();
        Assert.True(File.Exists(path));
        Assert.Equal(0, _cli.Run("list", "--json").Json.GetArrayLength());
        Assert.Equal(1, _cli.Run("list", "--db", path, "--json").Json.GetArrayLength());
    }

    [Fact]
    public void Without_db_or_variable_the_per_user_data_directory_is_used()
    {
        _cli.Variables.Remove(CliApp.DbVariable);
        _cli.Run("new", "Default store").ShouldSucceed();
        Assert.True(File.Exists(Path.Combine(_cli.Directory, "data", "hokusai-incidents", "incidents.db")));
    }

    public void Dispose() => _cli.Dispose();
}
