using System.Text;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

/// <summary>Every bad input: one line naming it, a non-zero exit, no stack trace, nothing changed.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _id;

    public BadInputTests() =>
        _id = _cli.Run("new", "Registry 404", "--started", "2025-08-18T09:00Z", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;

    public static TheoryData<string[], string> Cases => new()
    {
        { ["show", "no-such-incident"], "unknown incident 'no-such-incident'" },
        { ["update", "no-such-incident", "--status", "resolved"], "unknown incident 'no-such-incident'" },
        { ["new", "x", "--severity", "urgent"], "invalid severity 'urgent'" },
        { ["new", "x", "--started", "last tuesday"], "invalid time 'last tuesday'" },
        { ["update", "{id}", "--status", "fixed"], "invalid status 'fixed'" },
        { ["timeline", "add", "{id}", "--at", "25:99", "text"], "invalid time '25:99'" },
        { ["hypothesis", "set", "{id}", "H9", "--status", "refuted"], "has no hypothesis H9" },
        { ["hypothesis", "add", "{id}", "x", "--confidence", "150"], "invalid confidence '150'" },
        { ["task", "done", "{id}", "T4"], "has no task T4" },
        { ["task", "add", "{id}", "x", "--parent", "T7"], "has no task T7" },
        { ["task", "add", "{id}", "x", "--priority", "P9"], "invalid priority 'P9'" },
        { ["task", "add", "{id}", "x", "--due", "tomorrow"], "invalid due date 'tomorrow'" },
        { ["evidence", "add", "{id}", "--kind", "gossip", "text"], "invalid evidence kind 'gossip'" },
        { ["evidence", "add", "{id}", "--kind", "note", "--supports", "H3", "text"], "has no hypothesis H3" },
        { ["evidence", "link", "{id}", "E5", "--supports", "H1"], "has no hypothesis H1" },
        { ["import", "missing.json"], "missing.json: no such file" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gets_one_line_and_changes_nothing(string[] args, string expected)
    {
        var before = _cli.Run("export", _id).ShouldSucceed().Out;
        var run = _cli.Run([.. args.Select(a => a.Replace("{id}", _id, StringComparison.Ordinal))]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Equal(before, _cli.Run("export", _id).ShouldSucceed().Out);
        Assert.Single(_cli.Run("list", "--json").Json.EnumerateArray());
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var run = _cli.Run("show", "nope", "--verbose");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("   at ", run.Error);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_named_and_left_byte_for_byte_untouched()
    {
        var path = _cli.PathOf("notes.md");
        var bytes = Encoding.UTF8.GetBytes("# Bug Investigation\n\nThis is Markdown, not LiteDB.\n");
        File.WriteAllBytes(path, bytes);
        var run = _cli.Run("--db", path, "new", "x");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains(path, run.Error);
        Assert.Contains("not a LiteDB database", run.Error);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.False(File.Exists(Path.ChangeExtension(path, null) + "-log.md"));
    }

    [Fact]
    public void A_damaged_database_is_named_in_one_line_for_reads_and_writes()
    {
        var bytes = File.ReadAllBytes(_cli.DatabasePath);
        var damaged = _cli.PathOf("damaged.db");
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]);
        foreach (var args in new[] { new[] { "list" }, ["show", _id], ["task", "add", _id, "x"] })
        {
            var run = _cli.Run(["--db", damaged, .. args]);
            Assert.Equal(4, run.ExitCode);
            Assert.Contains(damaged, run.Error);
            Assert.Single(run.Error.TrimEnd().Split('\n'));
        }
    }

    [Fact]
    public void An_unwritable_database_path_is_named()
    {
        var blocker = _cli.PathOf("file-not-dir");
        File.WriteAllText(blocker, "x");
        var path = Path.Combine(blocker, "incidents.db");
        var run = _cli.Run("--db", path, "list");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(path, run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void An_unwritable_export_path_is_named_and_nothing_is_half_written()
    {
        var blocker = _cli.PathOf("file-not-dir");
        File.WriteAllText(blocker, "x");
        var run = _cli.Run("export", _id, "-o", Path.Combine(blocker, "case.json"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("case.json", run.Error);
    }

    [Fact]
    public void A_malformed_case_file_is_named_with_its_line()
    {
        File.WriteAllText(_cli.PathOf("broken.json"), "{\n  \"format\": \"hokusai-incidents-case\",\n  \"version\": 1,\n  \"incident\": {\"id\": \"x\", \"title\": \n}");
        var run = _cli.Run("import", "broken.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("broken.json: not a valid case file at line", run.Error);
    }

    public void Dispose() => _cli.Dispose();
}
