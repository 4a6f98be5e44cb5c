using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

/// <summary>No command destroys what it was not asked to change, and every message tells the truth.</summary>
public sealed class HardeningTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public HardeningTests() => _cli.Run("new", "Registry 504", "--id", "registry-504").ShouldSucceed();

    [Theory]
    [InlineData("list --nope", "Unrecognized command or argument '--nope'")]
    [InlineData("frobnicate", "Unrecognized command or argument 'frobnicate'")]
    [InlineData("hypothesis add registry-504 x --confidence lots", "lots")]
    public void Parse_errors_are_one_line_with_the_prefix_and_exit_2(string args, string expected)
    {
        var run = _cli.Run(args.Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("incidents: error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Export_refuses_the_database_and_an_existing_file_and_writes_stdout_for_dash()
    {
        var before = File.ReadAllBytes(_cli.DatabasePath);

        var intoDb = _cli.Run("export", "registry-504", "-o", _cli.DatabasePath);
        Assert.Equal(2, intoDb.ExitCode);
        Assert.Contains("is the database", intoDb.Error);
        Assert.Equal(before, File.ReadAllBytes(_cli.DatabasePath));
        Assert.Equal(2, _cli.Run("export", "registry-504", "-o", _cli.DatabasePath + ".index/x.json").ExitCode);

        _cli.Run("export", "registry-504", "-o", "case.json").ShouldSucceed();
        File.WriteAllText(_cli.PathOf("case.json"), "mine");
        var again = _cli.Run("export", "registry-504", "-o", "case.json");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists; use --force", again.Error);
        Assert.Equal("mine", File.ReadAllText(_cli.PathOf("case.json")));
        _cli.Run("export", "registry-504", "-o", "case.json", "--force").ShouldSucceed();
        Assert.Contains("\"registry-504\"", File.ReadAllText(_cli.PathOf("case.json")));

        var dash = _cli.Run("export", "registry-504", "-o", "-").ShouldSucceed();
        Assert.StartsWith("{", dash.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("-")));
    }

    [Fact]
    public void A_database_truncated_to_4000_bytes_is_refused_with_exit_4_and_left_byte_for_byte()
    {
        using (var f = new FileStream(_cli.DatabasePath, FileMode.Open))
        {
            f.SetLength(4000);
        }
        var before = File.ReadAllBytes(_cli.DatabasePath);

        foreach (var args in new[] { new[] { "list" }, ["new", "Another"], ["show", "registry-504"] })
        {
            var run = _cli.Run(args);
            Assert.Equal(4, run.ExitCode);
            Assert.Contains("is damaged", run.Error);
            Assert.Single(run.Error.TrimEnd().Split('\n'));
        }
        Assert.Equal(before, File.ReadAllBytes(_cli.DatabasePath));
    }

    [Fact]
    public async Task A_duplicated_task_number_in_a_stored_record_cannot_make_show_or_task_list_loop()
    {
        using (var store = LiteDbIncidentStore.Open(_cli.DatabasePath))
        {
            // Written straight to the store, as an old version or a hand-edited file could have.
            var incident = store.Get("registry-504");
            store.Put(incident with
            {
                Tasks =
                [
                    new FixTask { Number = 1, Title = "first" },
                    new FixTask { Number = 1, Title = "same number, under itself", Parent = 1 },
                    new FixTask { Number = 2, Title = "own parent", Parent = 2 },
                ],
            });
        }

        var list = Task.Run(() => _cli.Run("task", "list", "registry-504", "--json"));
        var show = Task.Run(() => _cli.Run("show", "registry-504"));

        var both = Task.WhenAll(list, show);
        Assert.Same(both, await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal(3, (await list).ShouldSucceed().Json.GetArrayLength());
        (await show).ShouldSucceed();
    }

    [Fact]
    public void An_id_too_long_is_invalid_input()
    {
        var run = _cli.Run("show", new string('x', 5000));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at most 200", run.Error);
    }

    public void Dispose() => _cli.Dispose();
}
