using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

public sealed class StartupModeTests : IDisposable
{
    private const string Example = "2025-08-18-model-registration-failure";
    private readonly CliHarness _cli = new();

    [Theory]
    [InlineData(true, "list")]
    [InlineData(true, "show", Example)]
    [InlineData(true, "--db", "x.db", "search", "timeout")]
    [InlineData(true, "--verbose", "render", Example, "--doc", "all")]
    [InlineData(true, "--version")]
    [InlineData(false, "attach", Example, "events.json")]
    [InlineData(false, "import", "dir")]
    [InlineData(false, "sync")]
    [InlineData(false, "--db", "list")]
    [InlineData(false)]
    public void Only_short_read_commands_start_without_dynamic_code(bool interprets, params string[] args) =>
        Assert.Equal(interprets, StartupMode.CompilesNoCode(args));

    [Fact]
    public async Task Read_commands_without_dynamic_code_print_what_they_print_in_process()
    {
        _cli.Run("import", ExampleCaseFile()).ShouldSucceed();
        string[][] commands = [["list", "--json"], ["show", Example, "--json"], ["search", "timeout", "--json"], ["similar", Example, "--json"]];
        foreach (var args in commands)
        {
            var inProcess = _cli.Run(args).ShouldSucceed();
            using var own = new CliProcess(_cli, args);
            var separate = (await own.WaitAsync(TimeSpan.FromMinutes(2))).ShouldSucceed();
            Assert.Equal(inProcess.Out, separate.Out);
        }

        _cli.Run("render", Example, "--doc", "all", "--out", _cli.PathOf("in-process")).ShouldSucceed();
        using (var render = new CliProcess(_cli, "render", Example, "--doc", "all", "--out", _cli.PathOf("own-process")))
        {
            (await render.WaitAsync(TimeSpan.FromMinutes(2))).ShouldSucceed();
        }
        var expected = Directory.GetFiles(_cli.PathOf("in-process")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        foreach (var file in expected)
        {
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(_cli.PathOf("own-process"), Path.GetFileName(file))));
        }
    }

    private static string ExampleCaseFile()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "incidents", Example);
            if (File.Exists(Path.Combine(d.FullName, "Hokusai.Incidents.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("the repository's example incident was not found");
    }

    public void Dispose() => _cli.Dispose();
}
