using System.CommandLine;
using System.Globalization;
using Hokusai.Incidents.Aws;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>Evidence from AWS and from the network: pull logs/ecs, attach AWS CLI output, check endpoints.</summary>
internal static class EvidencePullCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        var pull = new Command("pull", "Pull evidence from AWS (CloudWatch Logs, ECS) into an incident");
        pull.Subcommands.Add(PullLogs(app));
        pull.Subcommands.Add(PullEcs(app));
        pull.Subcommands.Add(LiveCommands.PullInsights(app));
        return [pull, Attach(app), Check(app)];
    }

    internal sealed record AwsOptions(Option<string?> Profile, Option<string?> Region, Option<string?> EndpointUrl, Option<string?> MaxWait)
    {
        public static AwsOptions Create() => new(
            Options.Text("--profile", "AWS profile from the shared config/credentials files (default: $AWS_PROFILE)"),
            Options.Text("--region", "AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION or the profile's)"),
            Options.Text("--endpoint-url", "Send requests here instead of AWS, e.g. http://localhost:4566 (default: $AWS_ENDPOINT_URL)"),
            Options.Text("--max-wait", "Give up when requests keep failing or being throttled this long, e.g. 30s, 10m (default 5m); the next run resumes"));

        public void AddTo(Command command)
        {
            command.Options.Add(Profile);
            command.Options.Add(Region);
            command.Options.Add(EndpointUrl);
            command.Options.Add(MaxWait);
        }

        public AwsSettings Settings(CliInvocation inv) => new()
        {
            Profile = inv.Get(Profile),
            Region = inv.Get(Region),
            EndpointUrl = inv.Get(EndpointUrl),
            Variables = inv.Env.Variables,
            MaxWait = inv.Get(MaxWait) is { } wait ? ParseMaxWait(wait) : AwsSettings.DefaultMaxWait,
        };

        private static TimeSpan ParseMaxWait(string text) => TimeInput.TryParseDuration(text.Trim(), out var span)
            ? span
            : throw new InvalidInputException($"invalid --max-wait '{text}': expected a duration such as 30s, 10m or 1h");
    }

    private static Command PullLogs(CliApp app)
    {
        var id = Options.IncidentId();
        var groups = new Option<string[]>("--group") { Description = "Log group name or ARN (repeatable)", Required = true, Arity = ArgumentArity.OneOrMore };
        var streamPrefix = Options.Text("--stream-prefix", "Only streams whose name starts with this");
        var filter = Options.Text("--filter", "CloudWatch Logs filter pattern, e.g. ERROR or \"?timeout ?refused\"");
        var since = Options.Text("--since", "Window back from now: 30m, 2h, 1h30m, 3d (default 1h)");
        var start = Options.Text("--start", "Window start, ISO-8601 (UTC unless an offset is given)");
        var end = Options.Text("--end", "Window end, ISO-8601 (default now)");
        var limit = new Option<long?>("--limit") { Description = "Stop after this many events" };
        var supports = Options.Many("--supports", "A hypothesis or task the events support (H1, T3)");
        var json = Options.Json();
        var aws = AwsOptions.Create();
        var follow = LiveCommands.FollowOptions.Create();
        var command = new Command("logs", "Pull CloudWatch Logs events (FilterLogEvents) as log evidence")
        {
            id, groups, streamPrefix, filter, since, start, end, limit, supports, json,
        };
        aws.AddTo(command);
        follow.AddTo(command);
        app.SetAction(command, async (inv, ct) =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var incidentId = inv.Get(id)!;
            var incident = inv.Store.Get(incidentId);
            if (follow.Wanted(inv))
            {
                return await LiveCommands.FollowAsync(inv, follow, aws, new LogsFollowRequest
                {
                    IncidentId = incidentId,
                    Groups = inv.Get(groups) ?? [],
                    From = LiveCommands.FollowStart(inv, inv.Get(since), inv.Get(start), inv.Get(end), inv.Get(limit)),
                    StreamPrefix = inv.Get(streamPrefix),
                    FilterPattern = inv.Get(filter),
                    Supports = [.. (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget)],
                }, inv.Get(json), ct);
            }
            if (inv.Get(limit) is <= 0)
            {
                throw new InvalidInputException($"invalid --limit '{inv.Get(limit)}': expected a positive number of events");
            }
            var request = new LogsPullRequest
            {
                IncidentId = incidentId,
                Groups = inv.Get(groups) ?? [],
                Window = TimeWindow.From(inv.Get(since), inv.Get(start), inv.Get(end), inv.Now),
                StreamPrefix = inv.Get(streamPrefix),
                FilterPattern = inv.Get(filter),
                Limit = inv.Get(limit),
                Supports = [.. (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget)],
            };
            var settings = aws.Settings(inv);
            var account = await AwsCredentialResolver.ResolveAsync(settings, ct);
            var client = new AwsJsonClient(account, settings);
            var puller = new LogsPuller(inv.Store, new CloudWatchLogsApi(client));
            var result = await WithProgress(inv, $"Pulling {string.Join(", ", request.Groups)}", client, incidentId,
                (progress, token) => puller.PullAsync(request, progress, token), ct);
            // The summary's time is the whole command's, the index update after the last page included.
            result = result with { Elapsed = watch.Elapsed };
            if (inv.Get(json))
            {
                inv.Out.Json(result);
            }
            else
            {
                inv.Out.Line(string.Create(CultureInfo.InvariantCulture,
                    $"Pulled {result.Events:N0} event(s) from {result.Groups} log group(s) in {result.Pages:N0} page(s) into {incidentId}: " +
                    $"{result.Added:N0} added, {result.Skipped:N0} already stored ({result.Elapsed.TotalSeconds:0.0} s, {result.EventsPerSecond:N0} events/s" +
                    $"{(result.Throttles > 0 ? $", {result.Throttles} throttled request(s) retried" : "")}{(result.ResumedGroups > 0 ? ", resumed" : "")})."));
            }
            return 0;
        });
        return command;
    }

    private static Command PullEcs(CliApp app)
    {
        var id = Options.IncidentId();
        var cluster = new Option<string>("--cluster") { Description = "ECS cluster name or ARN", Required = true };
        var services = new Option<string[]>("--service") { Description = "ECS service name (repeatable)", Required = true, Arity = ArgumentArity.OneOrMore };
        var supports = Options.Many("--supports", "A hypothesis or task this supports (H1, T3)");
        var json = Options.Json();
        var aws = AwsOptions.Create();
        var command = new Command("ecs", "Pull ECS service events, deployments, counts and stopped tasks as ECS evidence")
        {
            id, cluster, services, supports, json,
        };
        aws.AddTo(command);
        app.SetAction(command, async (inv, ct) =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var incidentId = inv.Get(id)!;
            var incident = inv.Store.Get(incidentId);
            var request = new EcsPullRequest
            {
                IncidentId = incidentId,
                Cluster = inv.Get(cluster)!,
                Services = inv.Get(services) ?? [],
                Supports = [.. (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget)],
            };
            var settings = aws.Settings(inv);
            var account = await AwsCredentialResolver.ResolveAsync(settings, ct);
            var client = new AwsJsonClient(account, settings);
            var puller = new EcsPuller(inv.Store, new EcsApi(client), inv.Env.Clock);
            var result = await WithProgress<EcsPullResult>(inv, $"Pulling ECS {request.Cluster}", client, incidentId,
                (_, token) => puller.PullAsync(request, token), ct, r => r.Updated);
            result = result with { Elapsed = watch.Elapsed };
            if (inv.Get(json))
            {
                inv.Out.Json(result);
            }
            else
            {
                inv.Out.Line(string.Create(CultureInfo.InvariantCulture,
                    $"Pulled {result.Services} ECS service(s) of {request.Cluster} into {incidentId}: {result.ServiceItems} event/deployment/count item(s), " +
                    $"{result.StoppedTasks} stopped task(s){(result.StoppingTasks > 0 ? $", {result.StoppingTasks} stopping" : "")}; {result.Added} added, {result.Updated.Count} updated to a later state, {result.Skipped} already stored" +
                    $"{(result.OtherServicesTasks > 0 ? $"; {result.OtherServicesTasks} task(s) of other services left out" : "")} ({result.Elapsed.TotalSeconds:0.0} s)."));
            }
            return 0;
        });
        return command;
    }

    private static Command Attach(CliApp app)
    {
        var id = Options.IncidentId();
        var file = new Argument<string>("file") { Description = "JSON saved from aws logs filter-log-events/get-log-events or aws ecs describe-services/describe-tasks" };
        var group = Options.Text("--group", "Log group the events came from (the AWS CLI output does not say)");
        var stream = Options.Text("--stream", "Log stream, for get-log-events output");
        var cluster = Options.Text("--cluster", "ECS cluster, when the file's ARNs do not say");
        var supports = Options.Many("--supports", "A hypothesis or task this supports (H1, T3)");
        var json = Options.Json();
        var command = new Command("attach", "Store AWS CLI JSON output (logs or ECS) as evidence, recognised by its shape")
        {
            id, file, group, stream, cluster, supports, json,
        };
        app.SetAction(command, async (inv, ct) =>
        {
            var incidentId = inv.Get(id)!;
            var incident = inv.Store.Get(incidentId);
            var options = new AttachOptions
            {
                IncidentId = incidentId,
                Group = inv.Get(group),
                Stream = inv.Get(stream),
                Cluster = inv.Get(cluster),
                Supports = [.. (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget)],
            };
            var path = inv.FullPath(inv.Get(file)!);
            AttachResult result;
            try
            {
                result = await TerminalProgress.RunAsync(inv, "Attaching", bar => AwsCliFile.AttachAsync(inv.Store, path, options, inv.Env.Clock,
                    bar is null ? null : new InlineProgress<AttachProgress>(p => bar.Report((p.Stored, p.Total,
                        string.Create(CultureInfo.InvariantCulture, $"{p.Stored:N0}/{p.Total:N0} events")))), ct));
            }
            finally
            {
                inv.Changed(incidentId);
            }
            foreach (var number in result.Updated)
            {
                inv.EvidenceChanged(incidentId, number);
            }
            if (result.Note is { } note)
            {
                inv.Notice(note);
            }
            if (inv.Get(json))
            {
                inv.Out.Json(new AttachOutput(ShapeWord(result.Shape), result.Items, result.Added, result.Skipped) { Updated = result.Updated.Count });
            }
            else
            {
                inv.Out.Line(string.Create(CultureInfo.InvariantCulture,
                    $"Attached {ShapeWord(result.Shape)} output to {incidentId}: {result.Items:N0} item(s), {result.Added:N0} added, " +
                    $"{(result.Updated.Count > 0 ? $"{result.Updated.Count:N0} updated to a later state, " : "")}{result.Skipped:N0} already stored."));
            }
            return 0;
        });
        return command;
    }

    private static Command Check(CliApp app)
    {
        var id = Options.IncidentId();
        var urls = new Argument<string[]>("url") { Description = "http(s) URLs to probe", Arity = ArgumentArity.OneOrMore };
        var timeout = Options.Text("--timeout", "Give up on a probe after this long (default 5s)");
        var expect = new Option<int?>("--expect") { Description = "The status code that counts as healthy (default: any 2xx or 3xx)" };
        var supports = Options.Many("--supports", "A hypothesis or task the results support (H1, T3)");
        var failUnhealthy = new Option<bool>("--fail-unhealthy")
        {
            Description = "Exit 6 when any endpoint is not healthy (results are stored either way), for scripts that wait for recovery",
        };
        var json = Options.Json();
        var watch = LiveCommands.WatchOptions.Create();
        var command = new Command("check", "Probe HTTP endpoints and store each result as endpoint-check evidence")
        {
            id, urls, timeout, expect, supports, failUnhealthy, json,
        };
        watch.AddTo(command);
        app.SetAction(command, async (inv, ct) =>
        {
            if (watch.Wanted(inv))
            {
                return await LiveCommands.WatchAsync(inv, watch, inv.Get(id)!, inv.Get(urls) ?? [], inv.Get(timeout), inv.Get(expect),
                    inv.Get(supports) ?? [], inv.Get(failUnhealthy), inv.Get(json), ct);
            }
            var incidentId = inv.Get(id)!;
            var incident = inv.Store.Get(incidentId);
            var limit = inv.Get(timeout) is { } t ? TimeInput.ParseDuration(t) : TimeSpan.FromSeconds(5);
            var targets = inv.Get(urls) ?? [];
            foreach (var url in targets)
            {
                EndpointChecker.ParseUrl(url);
            }
            var supportKeys = (inv.Get(supports) ?? []).Select(incident.CheckLinkTarget).ToList();
            var checker = new EndpointChecker(inv.Env.Clock);
            var results = await Task.WhenAll(targets.Select(u => checker.CheckAsync(u, limit, inv.Get(expect), ct)));
            var write = inv.Store.AddEvidence([.. results.Select(r => r.ToEvidence(incidentId, supportKeys))]);
            inv.Changed(incidentId);
            // A failed probe is evidence, not an error: only a script that asks gets a failing exit code.
            var code = inv.Get(failUnhealthy) && results.Any(r => r.Outcome != EndpointOutcomes.Ok) ? UnhealthyExitCode : 0;
            if (inv.Get(json))
            {
                // The URL and the error echo what was typed (https://user:password@…), so they are redacted like the stored evidence.
                inv.Out.Json(results.Select(r => new CheckOutput(inv.Redact(r.Url), r.At, r.StatusCode, Math.Round(r.Latency.TotalMilliseconds), r.Outcome,
                    r.Error is null ? null : inv.Redact(r.Error))).ToList());
                return code;
            }
            var table = Output.Table("URL", "Outcome", "Status", "Latency (ms)", "Error");
            foreach (var r in results)
            {
                table.AddRow(Output.Escape(inv.Redact(r.Url)), Output.Escape(r.Outcome), r.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    r.Latency.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture), Output.Escape(inv.Redact(r.Error ?? "")));
            }
            inv.Out.Write(table);
            inv.Out.Line($"{write.Added} result(s) stored as endpoint-check evidence of {incidentId}.");
            return code;
        });
        return command;
    }

    /// <summary>check --fail-unhealthy: an endpoint answered, but not healthily (or not at all).</summary>
    private const int UnhealthyExitCode = 6;

    // Records, not anonymous types: the shared JSON options skip read-only properties.
    internal sealed record AttachOutput(string Shape, long Items, long Added, long Skipped)
    {
        public int Updated { get; init; }
    }

    internal sealed record CheckOutput(string Url, DateTimeOffset At, int? StatusCode, double LatencyMs, string Outcome, string? Error);

    private static string ShapeWord(AwsCliShape shape) => shape switch
    {
        AwsCliShape.FilterLogEvents => "aws logs filter-log-events",
        AwsCliShape.GetLogEvents => "aws logs get-log-events",
        AwsCliShape.DescribeServices => "aws ecs describe-services",
        _ => "aws ecs describe-tasks",
    };

    /// <summary>
    /// Runs a pull and then the search-index update of what it stored (also when the pull fails part way),
    /// with a live status line on a terminal's standard error for both, retry waits included; nothing at
    /// all when it is piped. Items the pull updated in place are re-indexed one by one.
    /// </summary>
    private static async Task<T> WithProgress<T>(CliInvocation inv, string title, AwsJsonClient client, string incidentId,
        Func<IProgress<PullProgress>?, CancellationToken, Task<T>> work, CancellationToken ct, Func<T, IReadOnlyList<long>>? updated = null)
    {
        void Index(T? result, Action<string>? status)
        {
            status?.Invoke(result is PullResult pulled
                ? string.Create(CultureInfo.InvariantCulture, $"updating the search index with {pulled.Added:N0} new event(s)")
                : "updating the search index");
            inv.Changed(incidentId);
            foreach (var number in result is null || updated is null ? [] : updated(result))
            {
                inv.EvidenceChanged(incidentId, number);
            }
        }
        if (!inv.Env.ErrorIsTerminal)
        {
            T? plain = default;
            try
            {
                return plain = await work(null, ct);
            }
            finally
            {
                Index(plain, null);
            }
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(inv.Env.Error) });
        return await console.Status().StartAsync(Markup.Escape(title), async ctx =>
        {
            void Show(string text) => ctx.Status(Markup.Escape(text));
            client.RetryWaits = new InlineProgress<RetryWait>(w => Show(Waiting(w)));
            T? result = default;
            try
            {
                return result = await work(new InlineProgress<PullProgress>(p => Show(Describe(p))), ct);
            }
            finally
            {
                client.RetryWaits = null;
                Index(result, Show);
            }
        });
    }

    private static string Waiting(RetryWait w) => string.Create(CultureInfo.InvariantCulture,
        $"{w.Service} {w.Operation} {(w.IsThrottle ? "throttled" : $"failed ({w.Code})")}, retrying in {AwsJsonClient.Duration(w.Delay)}" +
        $" (failing for {AwsJsonClient.Duration(w.FailingFor)}, {w.Attempts} attempt(s))");

    private static string Describe(PullProgress p)
    {
        var window = p.PageFrom is { } from && p.PageTo is { } to ? $", window {TimeInput.Format(from)} .. {TimeInput.Format(to)}" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{p.Group}: {p.Events:N0} events, {p.Pages:N0} pages, {p.EventsPerSecond:N0}/s{window}");
    }
}
