namespace Hokusai.Incidents.Cli;

/// <summary>
/// How a one-shot command starts. The commands an engineer types most (<c>list</c>, <c>show</c>,
/// <c>search</c>, <c>render</c>) run once over a few records, yet LiteDB compiles each query through
/// System.Linq.Expressions, and every such method is JIT-compiled before it runs once. With dynamic code
/// switched off it interprets them instead, which starts at once. Bulk commands (attach, import, sync,
/// pull…) keep compiled code: they run the same expressions millions of times. This matters to the JIT
/// builds (`dotnet run`, the tool package); the native publish has no dynamic code at all.
/// </summary>
public static class StartupMode
{
    public const string DynamicCodeSwitch = "System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported";

    private static readonly HashSet<string> ShortReads = new(StringComparer.Ordinal)
    {
        "list", "show", "search", "render", "similar", "--version",
    };

    /// <summary>True for the short read-only commands that gain from interpreting over compiling.</summary>
    public static bool CompilesNoCode(IReadOnlyList<string> args)
    {
        // The command is the first word that is not a global option (--db PATH, --verbose).
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--db":
                    i++;
                    continue;
                case "--verbose":
                    continue;
                default:
                    return ShortReads.Contains(args[i]);
            }
        }
        return false;
    }
}
