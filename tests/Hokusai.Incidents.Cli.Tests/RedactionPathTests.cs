using System.Text;
using System.Text.Json.Nodes;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

/// <summary>
/// The redaction corpus pushed through every way text gets in: command-line options, evidence on
/// standard input, a case file, a Markdown document and saved AWS CLI output. Nothing of any secret
/// may reach the database, the exported case file or the JSON views, not even with its punctuation
/// stripped (which is what slugging and heading clean-up do); ordinary sentences arrive unchanged.
/// </summary>
public sealed class RedactionPathTests : IDisposable
{
    private readonly CliHarness _cli = new();

    private static readonly IReadOnlyList<SecretSample> Secrets = RedactionCorpus.Secrets;

    // A title with underscores: Markdown import used to strip them before redaction.
    private static readonly SecretSample TitleSecret = Secrets[0];
    private const string TitleKey = "hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN";

    [Fact]
    public void Command_line_options_and_standard_input()
    {
        var id = _cli.Run("new", "Outage after " + TitleKey + " leaked", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        Assert.Null(TitleSecret.LeakIn(id));

        _cli.Run(["update", id, .. Secrets.SelectMany(s => new[] { "--error-message", s.Text })]).ShouldSucceed();
        _cli.Run(["update", id, .. RedactionCorpus.OrdinaryText.SelectMany(s => new[] { "--lesson", s })]).ShouldSucceed();
        // One piece of evidence holding every sample (a separator line between them that no pattern
        // crosses; each sample on its own is the redactor's corpus test), and one per single-line
        // sample as the language, source and title of a piece of evidence.
        var separator = "\n\n-- next sample --\n\n";
        _cli.RunWithInput(string.Join(separator, Secrets.Select(s => s.Text)), "evidence", "add", id, "--kind", "log", "--language", TitleKey).ShouldSucceed();
        var oneLiners = Secrets.Where(s => s.IsSingleLine).Select(s => s.Text).ToList();
        _cli.Run(["timeline", "add", id, "--at", "1h", string.Join(separator, Secrets.Select(s => s.Text))]).ShouldSucceed();
        _cli.Run(["hypothesis", "add", id, oneLiners[1], .. oneLiners.SelectMany(s => new[] { "--test-step", s })]).ShouldSucceed();
        _cli.RunWithInput(string.Join("\n", RedactionCorpus.OrdinaryText), "evidence", "add", id, "--kind", "note").ShouldSucceed();

        AssertNothingLeaked(id);
        var shown = _cli.Run("show", id, "--json").ShouldSucceed().Json;
        Assert.Equal(RedactionCorpus.OrdinaryText, shown.GetProperty("lessons").EnumerateArray().Select(l => l.GetString()));
        var notes = _cli.Run("evidence", "list", id, "--kind", "note", "--json").ShouldSucceed().Json;
        Assert.Equal(string.Join("\n", RedactionCorpus.OrdinaryText), notes[0].GetProperty("content").GetString());
    }

    [Fact]
    public void Case_file_import()
    {
        const string id = "case-file-redaction";
        var evidence = new JsonArray();
        var number = 1;
        foreach (var sample in Secrets)
        {
            evidence.Add(new JsonObject
            {
                ["incidentId"] = id,
                ["number"] = number++,
                ["kind"] = "log-excerpt",
                ["source"] = sample.IsSingleLine ? sample.Text : "/ecs/api",
                ["title"] = sample.IsSingleLine ? sample.Text : "pasted",
                ["content"] = sample.Text,
                ["language"] = sample.IsSingleLine ? sample.Text : "text",
                ["attributes"] = new JsonObject { ["note"] = sample.Text },
            });
        }
        var caseFile = new JsonObject
        {
            ["format"] = "hokusai-incidents-case",
            ["version"] = 1,
            ["incident"] = new JsonObject
            {
                ["id"] = id,
                ["title"] = "Outage after " + TitleKey,
                ["severity"] = "sev2",
                ["status"] = "investigating",
                ["errorMessages"] = new JsonArray([.. Secrets.Select(s => (JsonNode)JsonValue.Create(s.Text)!)]),
                ["lessons"] = new JsonArray([.. RedactionCorpus.OrdinaryText.Select(s => (JsonNode)JsonValue.Create(s)!)]),
            },
            ["evidence"] = evidence,
        };
        var path = _cli.PathOf("leaky.case.json");
        File.WriteAllText(path, caseFile.ToJsonString());

        _cli.Run("import", path).ShouldSucceed();

        AssertNothingLeaked(id);
        Assert.Equal(RedactionCorpus.OrdinaryText,
            _cli.Run("show", id, "--json").ShouldSucceed().Json.GetProperty("lessons").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public void Markdown_import()
    {
        var doc = new StringBuilder();
        doc.Append("# Outage after ").Append(TitleKey).Append("\n\n");
        doc.Append("**Severity**: Critical\n\n");
        var n = 1;
        foreach (var sample in Secrets.Where(s => s.IsSingleLine))
        {
            // Priority headings lose "Priority N:" and underscores; task items lose their checkbox.
            doc.Append("## Priority ").Append(n % 4 + 1).Append(": ").Append(sample.Text).Append("\n\n");
            doc.Append("- [ ] Rotate ").Append(sample.Text).Append('\n');
            doc.Append("  - [x] _Found_ ").Append(sample.Text).Append("\n\n");
            n++;
        }
        doc.Append("## Logs\n\n");
        foreach (var sample in Secrets)
        {
            doc.Append("```text\n").Append(sample.Text).Append("\n```\n\n");
        }
        doc.Append("## Notes\n\n");
        foreach (var sample in Secrets)
        {
            doc.Append(sample.Text).Append("\n\n");
        }
        foreach (var sentence in RedactionCorpus.OrdinaryText)
        {
            doc.Append("- [ ] ").Append(sentence).Append('\n');
        }
        var path = _cli.PathOf("leaky-investigation.md");
        File.WriteAllText(path, doc.ToString());

        var run = _cli.Run("import", path, "--json").ShouldSucceed();
        foreach (var sample in Secrets)
        {
            Assert.Null(sample.LeakIn(run.Out));
            Assert.Null(sample.LeakIn(run.Error));
        }
        var id = run.Json[0].GetProperty("incidentId").GetString()!;
        Assert.Null(TitleSecret.LeakIn(id));

        AssertNothingLeaked(id);
        var titles = _cli.Run("show", id, "--json").ShouldSucceed().Json.GetProperty("tasks").EnumerateArray()
            .Select(t => t.GetProperty("title").GetString()).ToHashSet();
        Assert.All(RedactionCorpus.OrdinaryText, s => Assert.Contains(s, titles));
    }

    [Fact]
    public void Aws_cli_output_attached_from_a_file()
    {
        var id = _cli.Run("new", "Attach redaction", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        var events = new JsonArray();
        var t = 1755697457000L;
        foreach (var text in Secrets.Select(s => s.Text).Concat(RedactionCorpus.OrdinaryText))
        {
            events.Add(new JsonObject
            {
                ["logStreamName"] = "ecs/hokusai-api/3f1c2a9b",
                ["timestamp"] = t,
                ["message"] = text,
                ["ingestionTime"] = t + 100,
                ["eventId"] = (t * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            t += 1000;
        }
        var path = _cli.PathOf("filter-log-events.json");
        File.WriteAllText(path, new JsonObject { ["events"] = events, ["searchedLogStreams"] = new JsonArray() }.ToJsonString());

        _cli.Run("attach", id, path, "--group", "/ecs/hokusai-api-development").ShouldSucceed();

        AssertNothingLeaked(id);
        var contents = _cli.Run("evidence", "list", id, "--json").ShouldSucceed().Json.EnumerateArray()
            .Select(e => e.GetProperty("content").GetString()).ToHashSet();
        Assert.All(RedactionCorpus.OrdinaryText, s => Assert.Contains(s, contents));
    }

    [Fact]
    public void Evidence_language_is_redacted_and_cannot_break_the_code_fence()
    {
        var id = _cli.Run("new", "Fence", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        _cli.RunWithInput("SELECT 1;", "evidence", "add", id, "--kind", "log", "--language", "sql " + TitleKey + "\n```\n# injected").ShouldSucceed();

        var stored = _cli.Run("evidence", "list", id, "--json").ShouldSucceed().Json[0].GetProperty("language").GetString()!;
        Assert.DoesNotContain("pIDV2HHxM4S7", stored);
        var rendered = _cli.Run("render", id, "--doc", "investigation").ShouldSucceed().Out + _cli.Run("render", id, "--doc", "postmortem").ShouldSucceed().Out;
        Assert.DoesNotContain("pIDV2HHxM4S7", rendered);
        Assert.DoesNotContain("\n# injected", rendered);
    }

    [Fact]
    public void Error_messages_and_check_output_do_not_echo_secrets()
    {
        var id = _cli.Run("new", "Echo", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;

        var badTime = _cli.Run("update", id, "--detected", "password=Hunter2Echo!");
        Assert.Equal(2, badTime.ExitCode);
        Assert.DoesNotContain("Hunter2Echo", badTime.Error);
        Assert.Contains("[REDACTED]", badTime.Error);

        var badSeverity = _cli.Run("new", "x", "--severity", TitleKey);
        Assert.Equal(2, badSeverity.ExitCode);
        Assert.DoesNotContain("pIDV2HHxM4S7", badSeverity.Error);

        var parseError = _cli.Run("new", "x", "--token", TitleKey);
        Assert.Equal(2, parseError.ExitCode);
        Assert.StartsWith("incidents: error: ", parseError.Error);
        Assert.DoesNotContain("pIDV2HHxM4S7", parseError.Error);

        var check = _cli.Run("check", id, "http://admin:Pr0beSecret@127.0.0.1:9/health", "--timeout", "2s", "--json").ShouldSucceed();
        Assert.DoesNotContain("Pr0beSecret", check.Out);
        Assert.Contains("[REDACTED]", check.Json[0].GetProperty("url").GetString());
        var table = _cli.Run("check", id, "http://admin:Pr0beSecret@127.0.0.1:9/health", "--timeout", "2s").ShouldSucceed();
        Assert.DoesNotContain("Pr0beSecret", table.Out);
        Assert.DoesNotContain("Pr0beSecret", _cli.Run("export", id).ShouldSucceed().Out);
    }

    private void AssertNothingLeaked(string id)
    {
        var views = new[]
        {
            _cli.Run("export", id).ShouldSucceed().Out,
            _cli.Run("show", id, "--json").ShouldSucceed().Out,
            _cli.Run("evidence", "list", id, "--json").ShouldSucceed().Out,
            _cli.Run("list", "--json").ShouldSucceed().Out,
            Encoding.UTF8.GetString(File.ReadAllBytes(_cli.DatabasePath)),
        };
        foreach (var sample in Secrets)
        {
            foreach (var view in views)
            {
                Assert.True(sample.LeakIn(view) is null, $"{sample.Format}: '{sample.LeakIn(view)}' leaked");
            }
        }
    }

    public void Dispose() => _cli.Dispose();
}
