using System.CommandLine;

namespace Hokusai.Incidents.Cli;

/// <summary>
/// What every command shares: the global options, the environment, and the hooks other features
/// (search) attach to writes.
/// </summary>
public sealed class CliApp(CliEnvironment env)
{
    public const string DbVariable = "HOKUSAI_INCIDENTS_DB";

    public CliEnvironment Env { get; } = env;

    public Option<string?> DbOption { get; } = new("--db")
    {
        Description = $"Database file (default: ${DbVariable}, else the per-user data directory)",
        Recursive = true,
    };

    public Option<bool> VerboseOption { get; } = new("--verbose")
    {
        Description = "Show stack traces and details on errors",
        Recursive = true,
    };

    /// <summary>Called after any command changed an incident (or its evidence), with the incident id.</summary>
    public List<Action<CliInvocation, string>> IncidentChanged { get; } = [];

    /// <summary>Called after a command changed one existing piece of evidence (its links), with the incident id and E number.</summary>
    public List<Action<CliInvocation, string, long>> EvidenceChanged { get; } = [];

    /// <summary>Called after a command deleted an incident.</summary>
    public List<Action<CliInvocation, string>> IncidentDeleted { get; } = [];

    /// <summary>Finds past incidents like the given one, for <c>show</c>; set by the search feature.</summary>
    public Func<CliInvocation, string, int, IReadOnlyList<SimilarIncident>>? FindSimilar { get; set; }

    /// <summary>Wires a command's action with the shared error handling.</summary>
    public void SetAction(Command command, Func<CliInvocation, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            using var invocation = new CliInvocation(this, parse);
            try
            {
                return await body(invocation, ct).ConfigureAwait(false);
            }
            catch (IncidentsException e)
            {
                invocation.Fail(e.Message, e);
                return e.ExitCode;
            }
            catch (OperationCanceledException e) when (ct.IsCancellationRequested)
            {
                invocation.Fail("cancelled; what was stored so far is kept", e);
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                invocation.Fail(e.Message.ReplaceLineEndings(" "), e);
                return 1;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug, not bad input: still one line, with the detail behind --verbose.
                invocation.Fail($"unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (run with --verbose for details)", e);
                return 70;
            }
        });

    /// <summary>Synchronous form of <see cref="SetAction(Command, Func{CliInvocation, CancellationToken, Task{int}})"/>.</summary>
    public void SetAction(Command command, Func<CliInvocation, int> body) =>
        SetAction(command, (inv, _) => Task.FromResult(body(inv)));
}

public sealed record SimilarIncident(string Id, string Title, double Score, IReadOnlyList<string> SharedTerms);
