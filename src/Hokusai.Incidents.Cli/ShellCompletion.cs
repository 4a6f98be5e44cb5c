using System.CommandLine;
using System.CommandLine.Completions;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Cli;

/// <summary>
/// Tab completion. System.CommandLine answers <c>incidents "[suggest:N]" "LINE"</c> with the words that
/// fit at position N of LINE; the scripts printed by <c>incidents completion SHELL</c> ask it that on
/// every Tab. Here incident ids, H# and T# are added as the values the shell is offered.
/// </summary>
internal static class ShellCompletion
{
    public static Command Create(CliApp app)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.CompletionSources.Add("bash", "zsh", "fish");
        var command = new Command("completion", "Print a tab-completion script: source <(incidents completion bash), or zsh, or fish") { shell };
        app.SetAction(command, inv =>
        {
            var script = inv.Get(shell)?.Trim().ToLowerInvariant() switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                "fish" => Fish,
                var other => throw new InvalidInputException($"invalid shell '{other}': expected bash, zsh or fish"),
            };
            inv.Env.Out.Write(script);
            return 0;
        });
        return command;
    }

    /// <summary>Offers incident ids, and the H#/T# of the incident already typed, wherever a command takes them.</summary>
    public static void AddSources(CliApp app, Command command)
    {
        var id = command.Arguments.OfType<Argument<string>>().FirstOrDefault(a => a.Name == "id");
        foreach (var argument in command.Arguments)
        {
            switch (argument.Name)
            {
                case "id":
                    argument.CompletionSources.Add(ctx => WithStore(app, ctx, store => store.List().Select(i => i.Id)));
                    break;
                case "hypothesis" when id is not null:
                    argument.CompletionSources.Add(ctx => Numbers(app, ctx, id, hypotheses: true, tasks: false));
                    break;
                case "task" or "tasks" when id is not null:
                    argument.CompletionSources.Add(ctx => Numbers(app, ctx, id, hypotheses: false, tasks: true));
                    break;
            }
        }
        if (id is not null)
        {
            foreach (var option in command.Options)
            {
                var (h, t) = option.Name switch
                {
                    "--supports" or "--refutes" or "--linked-to" => (true, true),
                    "--parent" or "--depends-on" => (false, true),
                    _ => (false, false),
                };
                if (h || t)
                {
                    option.CompletionSources.Add(ctx => Numbers(app, ctx, id, h, t));
                }
            }
        }
        foreach (var sub in command.Subcommands)
        {
            AddSources(app, sub);
        }
    }

    private static IEnumerable<string> Numbers(CliApp app, CompletionContext ctx, Argument<string> id, bool hypotheses, bool tasks) =>
        ctx.ParseResult.GetValue(id) is { Length: > 0 } incidentId
            ? WithStore(app, ctx, store => store.Find(incidentId) is { } incident
                ? (hypotheses ? incident.Hypotheses.Select(x => x.Key) : []).Concat(tasks ? incident.Tasks.Select(x => x.Key) : [])
                : [])
            : [];

    /// <summary>Reads the database the command line points at; a completion never creates one, and fails silently.</summary>
    private static IEnumerable<string> WithStore(CliApp app, CompletionContext ctx, Func<IIncidentStore, IEnumerable<string>> read)
    {
        try
        {
            var path = Path.GetFullPath(ctx.ParseResult.GetValue(app.DbOption) ?? app.Env.Variable(CliApp.DbVariable) ?? app.Env.DefaultDatabasePath(),
                app.Env.WorkingDirectory);
            if (!File.Exists(path))
            {
                return [];
            }
            using var store = LiteDbIncidentStore.Open(path);
            var word = ctx.WordToComplete;
            return [.. read(store).Where(v => v.StartsWith(word, StringComparison.OrdinalIgnoreCase))];
        }
        catch (Exception e) when (e is IncidentsException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // Each script hands the line up to the cursor, less the program name, to the suggest directive.
    private const string Bash = """
        # incidents tab completion for bash: source <(incidents completion bash)
        _incidents_complete() {
            local line="${COMP_LINE:0:COMP_POINT}"
            local args=""
            [[ "$line" == *[[:space:]]* ]] && args="${line#*[[:space:]]}"
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(incidents "[suggest:${#args}]" "$args" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _incidents_complete incidents

        """;

    private const string Zsh = """
        #compdef incidents
        # incidents tab completion for zsh: source <(incidents completion zsh)
        _incidents_complete() {
            local line="${BUFFER[1,CURSOR]}"
            local args=""
            [[ "$line" == *" "* ]] && args="${line#* }"
            local -a items
            items=("${(@f)$(incidents "[suggest:${#args}]" "$args" 2>/dev/null)}")
            compadd -a items
        }
        compdef _incidents_complete incidents

        """;

    private const string Fish = """
        # incidents tab completion for fish: incidents completion fish | source
        function __incidents_complete
            set -l args (string replace -r '^\S+\s*' '' -- (commandline -cp))
            incidents "[suggest:"(string length -- "$args")"]" "$args" 2>/dev/null
        end
        complete -c incidents -f -a '(__incidents_complete)'

        """;
}
