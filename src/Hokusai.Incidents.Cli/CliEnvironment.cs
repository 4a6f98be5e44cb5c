namespace Hokusai.Incidents.Cli;

/// <summary>
/// Everything the CLI takes from the outside world, so tests can run it in-process with their own
/// streams, variables and clock.
/// </summary>
public sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public TextReader In { get; init; } = TextReader.Null;
    /// <summary>True when standard input is redirected (a pipe or file), so evidence text may come from it.</summary>
    public bool InputRedirected { get; init; }
    /// <summary>True when standard output is a terminal: colours, progress and wide tables.</summary>
    public bool OutIsTerminal { get; init; }
    /// <summary>True when standard error is a terminal: progress bars go there.</summary>
    public bool ErrorIsTerminal { get; init; }
    public IReadOnlyDictionary<string, string?> Variables { get; init; } = new Dictionary<string, string?>();
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>True in the real process: SIGINT and SIGTERM cancel the running command (exit 130).</summary>
    public bool HandleSignals { get; init; }

    public string? Variable(string name) => Variables.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    public static CliEnvironment FromConsole()
    {
        var vars = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            vars[(string)e.Key] = e.Value as string;
        }
        return new CliEnvironment
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            InputRedirected = Console.IsInputRedirected,
            OutIsTerminal = !Console.IsOutputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Variables = vars,
            HandleSignals = true,
        };
    }

    /// <summary>The per-user default database: $XDG_DATA_HOME (or ~/.local/share)/hokusai-incidents/incidents.db.</summary>
    public string DefaultDatabasePath()
    {
        var data = Variable("XDG_DATA_HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData);
        if (string.IsNullOrEmpty(data))
        {
            data = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local", "share");
        }
        return Path.Combine(data, "hokusai-incidents", "incidents.db");
    }
}
