using Spectre.Console;

namespace Hokusai.Incidents.Cli;

/// <summary>
/// A progress bar on standard error for work whose size is known up front. Nothing is drawn when
/// standard error is not a terminal, so scripts and CI logs see only the result.
/// </summary>
internal static class TerminalProgress
{
    /// <summary>Runs <paramref name="work"/>, giving it a reporter of (done, total, detail) only when a bar is shown.</summary>
    public static T Run<T>(CliInvocation inv, string title, Func<IProgress<(double Done, double Total, string Detail)>?, T> work)
    {
        if (!inv.Env.ErrorIsTerminal)
        {
            return work(null);
        }
        var result = default(T)!;
        Bars(inv).Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
            result = work(new Bar(task, title));
            task.StopTask();
        });
        return result;
    }

    /// <summary>The asynchronous form of <see cref="Run{T}"/>.</summary>
    public static async Task<T> RunAsync<T>(CliInvocation inv, string title, Func<IProgress<(double Done, double Total, string Detail)>?, Task<T>> work)
    {
        if (!inv.Env.ErrorIsTerminal)
        {
            return await work(null);
        }
        return await Bars(inv).StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                var result = await work(new Bar(task, title));
                task.StopTask();
                return result;
            });
    }

    /// <summary>One bar per task, cleared when done so only the command's own output remains.</summary>
    private static Spectre.Console.Progress Bars(CliInvocation inv) => Console(inv).Progress()
        .AutoClear(true)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn());

    private static IAnsiConsole Console(CliInvocation inv)
    {
        // The caller knows standard error is a terminal; say so rather than let Spectre guess from the writer.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(inv.Env.Error),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Detect,
        });
        if (console.Profile.Width < 60)
        {
            // A writer Spectre cannot measure is taken as very narrow, which leaves no room for the bar.
            console.Profile.Width = 100;
        }
        return console;
    }

    private sealed class Bar(ProgressTask task, string title) : IProgress<(double Done, double Total, string Detail)>
    {
        public void Report((double Done, double Total, string Detail) value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
            task.Description = Markup.Escape(string.IsNullOrEmpty(value.Detail) ? title : $"{title}: {value.Detail}");
        }
    }
}
