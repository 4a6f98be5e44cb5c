using System.Text;
using System.Text.Json;
using Hokusai.Incidents.Cli;

namespace Hokusai.Incidents.Testing;

/// <summary>The outcome of one in-process run of the <c>incidents</c> command.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public CliRun ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"expected success, got exit {ExitCode}\nstdout: {Out}\nstderr: {Error}");
        return this;
    }
}

/// <summary>
/// Runs the real CLI entry point in-process against a private temporary database, with its own
/// streams, variables and clock; deleted on dispose.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness(DateTimeOffset? now = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "hokusai-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "incidents.db");
        Clock = new FixedClock(now ?? new DateTimeOffset(2025, 8, 21, 12, 0, 0, TimeSpan.Zero));
        Variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [CliApp.DbVariable] = DatabasePath,
            ["HOME"] = Directory,
            ["XDG_DATA_HOME"] = Path.Combine(Directory, "data"),
        };
    }

    public string Directory { get; }
    public string DatabasePath { get; }
    public FixedClock Clock { get; }
    public Dictionary<string, string?> Variables { get; }

    /// <summary>Pretend standard error is a terminal, where progress is drawn.</summary>
    public bool ErrorIsTerminal { get; set; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public CliRun Run(params string[] args) => RunWithInput(null, args);

    public CliRun RunWithInput(string? stdin, params string[] args) =>
        RunAsync(stdin, CancellationToken.None, args).GetAwaiter().GetResult();

    public async Task<CliRun> RunAsync(string? stdin, CancellationToken cancellationToken, params string[] args)
    {
        var stdout = new StringWriter(new StringBuilder()) { NewLine = "\n" };
        var stderr = new StringWriter(new StringBuilder()) { NewLine = "\n" };
        var env = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            In = new StringReader(stdin ?? ""),
            InputRedirected = stdin is not null,
            Variables = Variables,
            Clock = Clock,
            WorkingDirectory = Directory,
            ErrorIsTerminal = ErrorIsTerminal,
        };
        var code = await IncidentsCli.RunAsync(args, env, cancellationToken);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
