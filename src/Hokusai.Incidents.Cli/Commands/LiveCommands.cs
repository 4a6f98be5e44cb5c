using System.CommandLine;
using System.Globalization;
using Hokusai.Incidents.Aws;
using Hokusai.Incidents.Serialization;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>During the outage: follow logs as they arrive, Logs Insights queries, endpoints watched until they recover.</summary>
internal static class LiveCommands
{
    internal sealed record FollowOptions(Option<bool> Follow, Option<string?> Until, Option<string?> For, Option<string?> PollEvery)
    {
        public static FollowOptions Create() => new(
            new Option<bool>("--follow") { Description = "Keep pulling new events as they arrive (like aws logs tail --follow) until Ctrl-C, --until or --for" },
            Options.Text("--until", "With --follow: stop at this time (ISO-8601, or a duration from now such as 30m)"),
            Options.Text("--for", "With --follow: stop after following this long, e.g. 30m"),
            Options.Text("--poll-every", "With --follow: pause between polls (default 5s)"));

        public void AddTo(Command command)
        {
            command.Options.Add(Follow);
            command.Options.Add(Until);
            command.Options.Add(For);
            command.Options.Add(PollEvery);
        }

        public bool Wanted(CliInvocation inv)
        {
            if (inv.Get(Follow))
            {
                return true;
            }
            foreach (var (name, value) in new[] { ("--until", inv.Get(Until)), ("--for", inv.Get(For)), ("--poll-every", inv.Get(PollEvery)) })
            {
                if (value is not null)
                {
                    throw new InvalidInputException($"invalid {name} '{value}': it only applies with --follow");
                }
            }
            return false;
        }
    }

    /// <summary>Where a follow starts: --since/--start, else now (like aws logs tail, which shows the last 10 minutes).</summary>
    public static DateTimeOffset FollowStart(CliInvocation inv, string? since, string? start, string? end, long? limit)
    {
        if (end is not null)
        {
            throw new InvalidInputException($"invalid --end '{end}' with --follow: a follow has no end time; use --until or --for");
        }
        if (limit is not null)
        {
            throw new InvalidInputException($"invalid --limit '{limit}' with --follow: stop a follow with --until or --for");
        }
        return since is null && start is null ? inv.Now.AddMinutes(-10) : TimeWindow.From(since, start, null, inv.Now).Start;
    }

    public static async Task<int> FollowAsync(CliInvocation inv, FollowOptions options, EvidencePullCommands.AwsOptions aws,
        LogsFollowRequest request, bool json, CancellationToken ct)
    {
        var now = inv.Now;
        DateTimeOffset? until = inv.Get(options.Until) is { } u
            ? TimeInput.TryParseDuration(u, out var ahead) ? now + ahead : TimeInput.Parse(u, now)
            : null;
        if (until is { } t && t <= request.From)
        {
            throw new InvalidInputException($"invalid --until '{inv.Get(options.Until)}': {TimeInput.Format(t)} is not after the start {TimeInput.Format(request.From)}");
        }
        request = request with
        {
            Until = until,
            For = inv.Get(options.For) is { } f ? TimeInput.ParseDuration(f) : null,
            PollInterval = inv.Get(options.PollEvery) is { } p ? TimeInput.ParseDuration(p) : TimeSpan.FromSeconds(5),
        };
        // --max-wait bounds each poll; a poll that gives up is tried again at the next one.
        var settings = aws.Settings(inv);
        var account = await AwsCredentialResolver.ResolveAsync(settings, ct);
        var follower = new LogsFollower(inv.Store, new CloudWatchLogsApi(new AwsJsonClient(account, settings)), inv.Env.Clock);
        if (inv.Env.ErrorIsTerminal)
        {
            inv.Notice($"following {string.Join(", ", request.Groups)} from {TimeInput.Format(request.From)}; Ctrl-C stops");
        }
        FollowResult result;
        try
        {
            result = await follower.FollowAsync(request,
                e =>
                {
                    if (json)
                    {
                        inv.Env.Out.WriteLine(IncidentJson.Serialize(e, indented: false));
                    }
                    else
                    {
                        inv.Env.Out.WriteLine(LogsFollower.FormatLine(e));
                    }
                    inv.Env.Out.Flush();
                },
                h => inv.Warn($"{h.Error.Message}; trying again at the next poll"),
                ct);
        }
        finally
        {
            inv.Changed(request.IncidentId);
        }
        var why = result.EndedBy switch
        {
            FollowEnd.Cancelled => "stopped",
            FollowEnd.Until => $"reached {TimeInput.Format(request.Until!.Value)}",
            _ => $"followed for {request.For}",
        };
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Followed {result.Groups} log group(s) for {result.Elapsed.TotalSeconds:0} s ({why}): {result.Added:N0} new event(s) stored in {request.IncidentId}, " +
            $"{result.Skipped:N0} already stored, {result.Polls:N0} poll(s){(result.Throttles > 0 ? $", {result.Throttles} throttled request(s) retried" : "")}.");
        // Under --json stdout is one event per line; the summary goes beside it on stderr.
        if (json)
        {
            inv.Notice(summary);
        }
        else
        {
            inv.Out.Line(summary);
        }
        return 0;
    }

    public static Command PullInsights(CliApp app)
    {
        var id = Options.IncidentId();
        var groups = new Option<string[]>("--group") { Description = "Log group name or ARN (repeatable)", Required = true, Arity = ArgumentArity.OneOrMore };
        var query = new Option<string>("--query") { Description = "Logs Insights query, e.g. 'fields @timestamp, @message | filter @message like /ERROR/'", Required = true };
        var since = Options.Text("--since", "Window back from now: 30m, 2h, 1h30m, 3d (default 1h)");
        var start = Options.Text("--start", "Window start, ISO-8601 (UTC unless an offset is given)");
        var end = Options.Text("--end", "Window end, ISO-8601 (default now)");
        var limit = new Option<int?>("--limit") { Description = "Most rows to return, 1..10000 (service default 1000)" };
        var supports = Options.Many("--supports", "A hypothesis or task the results support (H1, T3)");
        var json = Options.Json();
        var aws = EvidencePullCommands.AwsOptions.Create();
        var command = new Command("insights", "Run a CloudWatch Logs Insights query and store each result row as evidence")
        {
            id, groups, query, since, start, end, limit, supports, json,
        };
        aws.AddTo(command);
        app.SetAction(command, async (inv, ct) =>
        {
            var incidentId = inv.Get(id)!;
            var incident = inv.Store.Get(incidentId);
            if (inv.Get(limit) is { } l && l is < 1 or > 10_000)
            {
                throw new InvalidInputException($"invalid --limit '{l}': expected 1 to 10000 rows");
            }
            var request = new InsightsQueryRequest
            {
                IncidentId = incidentId,
                Groups = inv.Get(groups) ?? [],
                QueryString = inv.Get(query) ?? "",
                Window = TimeWindow.From(inv.Get(since), inv.Get(start), inv.Get(end), inv.Now),
                Limit = inv.Get(limit),
                Supports = [.. (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget)],
                PollInterval = inv.Env.Variable("HOKUSAI_INCIDENTS_INSIGHTS_POLL") is { } poll ? TimeInput.ParseDuration(poll) : TimeSpan.FromSeconds(1),
            };
            var settings = aws.Settings(inv);
            var account = await AwsCredentialResolver.ResolveAsync(settings, ct);
            var runner = new InsightsQueryRunner(inv.Store, new LogsInsightsApi(new AwsJsonClient(account, settings)), inv.Env.Clock);
            InsightsResult result;
            try
            {
                result = await WithStatus(inv, "Logs Insights query", progress => runner.RunAsync(request, progress, ct));
            }
            finally
            {
                inv.Changed(incidentId);
            }
            if (inv.Get(json))
            {
                inv.Out.Json(result);
            }
            else
            {
                var s = result.Statistics;
                inv.Out.Line(string.Create(CultureInfo.InvariantCulture,
                    $"Logs Insights query {result.QueryId} {result.Status.ToLowerInvariant()}: {result.Rows:N0} row(s) into {incidentId}, {result.Added:N0} added, " +
                    $"{result.Skipped:N0} already stored; {s.RecordsMatched:N0} record(s) matched of {s.RecordsScanned:N0} scanned ({s.BytesScanned:N0} bytes); " +
                    $"query stored as E{result.SummaryNumber}."));
            }
            return 0;
        });
        return command;
    }

    private static async Task<T> WithStatus<T>(CliInvocation inv, string title, Func<IProgress<InsightsProgress>?, Task<T>> work)
    {
        if (!inv.Env.ErrorIsTerminal)
        {
            return await work(null);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(inv.Env.Error) });
        return await console.Status().StartAsync(Markup.Escape(title), async ctx =>
            await work(new InlineProgress<InsightsProgress>(p => ctx.Status(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{title} {p.Status}: {p.Rows:N0} row(s), {p.Statistics.RecordsMatched:N0} matched of {p.Statistics.RecordsScanned:N0} scanned, {p.Elapsed.TotalSeconds:0} s"))))));
    }

    internal sealed record WatchOptions(Option<string?> Every, Option<bool> UntilHealthy, Option<string?> For)
    {
        public static WatchOptions Create() => new(
            Options.Text("--every", "Probe again at this interval (e.g. 30s), storing evidence only when an endpoint's outcome changes"),
            new Option<bool>("--until-healthy") { Description = "With --every: stop once every endpoint is healthy" },
            Options.Text("--for", "With --every: stop after this long, e.g. 2h"));

        public void AddTo(Command command)
        {
            command.Options.Add(Every);
            command.Options.Add(UntilHealthy);
            command.Options.Add(For);
        }

        public bool Wanted(CliInvocation inv)
        {
            if (inv.Get(Every) is not null)
            {
                return true;
            }
            if (inv.Get(UntilHealthy) || inv.Get(For) is not null)
            {
                throw new InvalidInputException($"invalid {(inv.Get(UntilHealthy) ? "--until-healthy" : "--for")}: it only applies with --every");
            }
            return false;
        }
    }

    public static async Task<int> WatchAsync(CliInvocation inv, WatchOptions options, string incidentId, IReadOnlyList<string> urls, string? timeout,
        int? expect, IReadOnlyList<string> supports, bool failUnhealthy, bool json, CancellationToken ct)
    {
        var incident = inv.Store.Get(incidentId);
        foreach (var url in urls)
        {
            EndpointChecker.ParseUrl(url);
        }
        var settings = new EndpointWatchOptions
        {
            Every = TimeInput.ParseDuration(inv.Get(options.Every)!),
            Timeout = timeout is { } t ? TimeInput.ParseDuration(t) : TimeSpan.FromSeconds(5),
            Expect = expect,
            UntilHealthy = inv.Get(options.UntilHealthy),
            For = inv.Get(options.For) is { } f ? TimeInput.ParseDuration(f) : null,
            Supports = [.. supports.Select(incident.CheckLinkTarget)],
        };
        var watch = new EndpointWatch(inv.Store, new EndpointChecker(inv.Env.Clock), inv.Env.Clock);
        WatchResult result;
        try
        {
            result = await watch.RunAsync(incidentId, urls, settings, change =>
            {
                var line = change.Previous is { } before
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{TimeInput.Format(change.Current.First)} {change.Current.Url}: {change.Current.Describe()} (was {before.Describe()} from {TimeInput.Format(before.First)} to {TimeInput.Format(before.Last)}, {before.Probes} probe(s))")
                    : $"{TimeInput.Format(change.Current.First)} {change.Current.Url}: {change.Current.Describe()}";
                if (!json)
                {
                    // The URL (and an error) echo what was typed, https://user:password@… included.
                    inv.Env.Out.WriteLine(inv.Redact(line));
                    inv.Env.Out.Flush();
                }
            }, ct);
        }
        finally
        {
            inv.Changed(incidentId);
        }
        var unhealthy = result.States.GroupBy(s => s.Url).Any(g => !g.Last().Healthy);
        if (json)
        {
            inv.Out.Json(result.States.Select(s => new StateOutput(inv.Redact(s.Url), s.Outcome, s.StatusCode, s.First, s.Last, s.Probes, s.EvidenceNumber)).ToList());
        }
        else
        {
            var why = result.EndedBy switch
            {
                WatchEnd.Healthy => "all healthy",
                WatchEnd.Duration => $"watched for {settings.For}",
                _ => "stopped",
            };
            inv.Out.Line($"Watched {urls.Count} endpoint(s) for {result.Rounds} round(s) ({why}): {result.States.Count} state(s) stored as endpoint-check evidence of {incidentId}.");
        }
        return failUnhealthy && unhealthy ? 6 : 0;
    }

    internal sealed record StateOutput(string Url, string Outcome, int? StatusCode, DateTimeOffset First, DateTimeOffset Last, int Probes, long Evidence);
}
