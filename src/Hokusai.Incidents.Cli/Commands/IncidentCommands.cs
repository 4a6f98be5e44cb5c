using System.CommandLine;
using Hokusai.Incidents.Storage;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary><c>new</c>, <c>list</c>, <c>show</c>, <c>update</c>, <c>delete</c>.</summary>
public static class IncidentCommands
{
    public static Command New(CliApp app)
    {
        var title = new Argument<string>("title") { Description = "What is broken, in a few words" };
        var severity = Options.Text("--severity", "SEV1–SEV4, or critical, high, medium, low (default SEV3)");
        var service = Options.Many("--service", "Affected service");
        var started = Options.Text("--started", "When it started: ISO-8601 or a duration ago (2h)");
        var summary = Options.Text("--summary", "One-paragraph summary");
        var id = Options.Text("--id", "Use this id instead of one made from the date and title");
        var tag = Options.Many("--tag", "Tag");
        var json = Options.Json();
        var command = new Command("new", "File a new incident") { title, severity, service, started, summary, id, tag, json };
        app.SetAction(command, inv =>
        {
            var draft = new Incident
            {
                Id = inv.Get(id) ?? "",
                Title = Required(inv.Get(title), "title"),
                Severity = inv.Get(severity) is { } s ? Vocabulary.ParseSeverity(s) : Severity.Sev3,
                Summary = inv.Get(summary),
                Components = new AffectedComponents { Services = inv.Get(service) ?? [] },
                Tags = inv.Get(tag) ?? [],
                Times = new IncidentTimes { Started = inv.Get(started) is { } st ? TimeInput.Parse(st, inv.Now) : null },
            };
            var created = inv.Store.Create(draft);
            inv.Changed(created.Id);
            if (inv.Get(json))
            {
                inv.Out.Json(created);
            }
            else
            {
                inv.Out.Line($"Created {created.Id} ({Vocabulary.Label(created.Severity)}, {Vocabulary.Word(created.Status)}): {created.Title}");
            }
            return 0;
        });
        return command;
    }

    public static Command List(CliApp app)
    {
        var status = Options.Text("--status", "Only incidents with this status");
        var severity = Options.Text("--severity", "Only incidents with this severity");
        var service = Options.Text("--service", "Only incidents affecting a service whose name contains this");
        var since = Options.Text("--since", "Only incidents started since this time (ISO-8601 or 30d)");
        var json = Options.Json();
        var command = new Command("list", "List incidents, newest first") { status, severity, service, since, json };
        app.SetAction(command, inv =>
        {
            var query = new IncidentQuery
            {
                Status = inv.Get(status) is { } st ? Vocabulary.ParseStatus(st) : null,
                Severity = inv.Get(severity) is { } sv ? Vocabulary.ParseSeverity(sv) : null,
                Service = inv.Get(service),
                Since = inv.Get(since) is { } si ? TimeInput.Parse(si, inv.Now) : null,
            };
            var incidents = inv.Store.List(query);
            if (inv.Get(json))
            {
                inv.Out.Json(incidents.Select(IncidentListItem.From).ToList());
                return 0;
            }
            if (incidents.Count == 0)
            {
                inv.Out.Line("No incidents.");
                return 0;
            }
            var table = Output.Table("Id", "Severity", "Status", "Started", "Title", "Hyp.", "Tasks");
            foreach (var i in incidents)
            {
                table.AddRow(
                    Output.Escape(i.Id),
                    Vocabulary.Label(i.Severity),
                    Vocabulary.Word(i.Status),
                    i.Times.Started is { } t ? TimeInput.Format(t) : "",
                    Output.Escape(i.Title),
                    i.Hypotheses.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{i.Tasks.Count(t => t.Done)}/{i.Tasks.Count}");
            }
            inv.Out.Write(table);
            return 0;
        });
        return command;
    }

    public static Command Show(CliApp app)
    {
        var id = Options.IncidentId();
        var json = Options.Json();
        var command = new Command("show", "Show one incident: summary, hypotheses, tasks, timeline, evidence") { id, json };
        app.SetAction(command, inv =>
        {
            var incident = inv.Store.Get(inv.Get(id)!);
            if (inv.Get(json))
            {
                inv.Out.Json(incident);
                return 0;
            }
            IncidentView.Write(inv, incident);
            return 0;
        });
        return command;
    }

    // Which record field each update option writes, for the fields an imported document can fill with Markdown.
    private static readonly Dictionary<string, string> TypedScalars = new()
    {
        ["title"] = nameof(Incident.Title),
        ["summary"] = nameof(Incident.Summary),
        ["impact"] = nameof(Incident.BusinessImpact),
        ["users"] = nameof(Incident.AffectedUsers),
        ["root-cause"] = nameof(Incident.RootCause),
        ["trigger"] = nameof(Incident.Trigger),
        ["solution"] = nameof(Incident.Solution),
        ["explanation"] = nameof(Incident.TechnicalExplanation),
        ["pattern"] = nameof(Incident.FailurePattern),
        ["correlation"] = nameof(Incident.Correlation),
    };

    private static readonly Dictionary<string, string> TypedLists = new()
    {
        ["change"] = nameof(Incident.RecentChanges),
        ["factor"] = nameof(Incident.ContributingFactors),
        ["well"] = nameof(Incident.WentWell),
        ["wrong"] = nameof(Incident.WentWrong),
        ["lucky"] = nameof(Incident.GotLucky),
        ["lesson"] = nameof(Incident.Lessons),
    };

    public static Command Update(CliApp app)
    {
        var id = Options.IncidentId();
        var fields = new Dictionary<string, Option<string?>>
        {
            ["title"] = Options.Text("--title", "New title"),
            ["status"] = Options.Text("--status", "investigating, identified, mitigating, resolved or closed"),
            ["severity"] = Options.Text("--severity", "SEV1–SEV4 or critical, high, medium, low"),
            ["summary"] = Options.Text("--summary", "Summary"),
            ["impact"] = Options.Text("--impact", "Business impact"),
            ["users"] = Options.Text("--affected-users", "Who is affected"),
            ["environment"] = Options.Text("--environment", "Environment, e.g. development or production"),
            ["root-cause"] = Options.Text("--root-cause", "Confirmed root cause"),
            ["trigger"] = Options.Text("--trigger", "What set it off"),
            ["solution"] = Options.Text("--solution", "The fix"),
            ["explanation"] = Options.Text("--technical-explanation", "How the root cause produces the failure"),
            ["pattern"] = Options.Text("--pattern", "Failure pattern, e.g. constant or intermittent"),
            ["correlation"] = Options.Text("--correlation", "What the failure correlates with"),
            ["started"] = Options.Text("--started", "When it started"),
            ["detected"] = Options.Text("--detected", "When it was detected"),
            ["mitigated"] = Options.Text("--mitigated", "When it was mitigated"),
            ["resolved"] = Options.Text("--resolved", "When it was resolved"),
            ["first-reported"] = Options.Text("--first-reported", "When it was first reported"),
            ["last-confirmed"] = Options.Text("--last-confirmed", "When it was last confirmed still happening"),
        };
        var lists = new Dictionary<string, Option<string[]>>
        {
            ["service"] = Options.Many("--service", "Add an affected service"),
            ["infrastructure"] = Options.Many("--infrastructure", "Add affected infrastructure"),
            ["database"] = Options.Many("--database", "Add an affected database"),
            ["endpoint"] = Options.Many("--endpoint", "Add an affected endpoint"),
            ["error"] = Options.Many("--error-message", "Add an error message"),
            ["change"] = Options.Many("--recent-change", "Add a recent change"),
            ["tag"] = Options.Many("--tag", "Add a tag"),
            ["factor"] = Options.Many("--contributing-factor", "Add a contributing factor"),
            ["well"] = Options.Many("--went-well", "Add something that went well"),
            ["wrong"] = Options.Many("--went-wrong", "Add something that went wrong"),
            ["lucky"] = Options.Many("--lucky", "Add somewhere we got lucky"),
            ["lesson"] = Options.Many("--lesson", "Add a lesson learned"),
            ["question"] = Options.Many("--key-question", "Add a key question"),
            ["step"] = Options.Many("--repro-step", "Add a reproduction step"),
        };
        var json = Options.Json();
        var command = new Command("update", "Change an incident's fields; list options add to the list") { id, json };
        foreach (var o in fields.Values)
        {
            command.Options.Add(o);
        }
        foreach (var o in lists.Values)
        {
            command.Options.Add(o);
        }
        app.SetAction(command, inv =>
        {
            string? F(string key) => inv.Get(fields[key]);
            IReadOnlyList<string> Add(IReadOnlyList<string> existing, string key) =>
                inv.Get(lists[key]) is { Length: > 0 } more ? [.. existing, .. more.Where(m => !existing.Contains(m))] : existing;
            DateTimeOffset? T(string key, DateTimeOffset? existing) => F(key) is { } s ? TimeInput.Parse(s, inv.Now) : existing;

            // Parse everything before touching the store, so a bad value changes nothing.
            var status = F("status") is { } st ? Vocabulary.ParseStatus(st) : (IncidentStatus?)null;
            var severity = F("severity") is { } sv ? Vocabulary.ParseSeverity(sv) : (Severity?)null;
            var now = inv.Now;
            // Text typed here is escaped when rendered, even where an imported document's Markdown was.
            string[] typed =
            [
                .. TypedScalars.Where(p => F(p.Key) is not null).Select(p => p.Value),
                .. TypedLists.Where(p => inv.Get(lists[p.Key]) is { Length: > 0 }).Select(p => p.Value),
            ];
            var updated = inv.Store.Update(inv.Get(id)!, before =>
            {
                var i = MarkdownOrigin.Typed(before, typed);
                var times = new IncidentTimes
                {
                    Started = T("started", i.Times.Started),
                    Detected = T("detected", i.Times.Detected),
                    Mitigated = T("mitigated", i.Times.Mitigated),
                    Resolved = T("resolved", i.Times.Resolved),
                    FirstReported = T("first-reported", i.Times.FirstReported),
                    LastConfirmed = T("last-confirmed", i.Times.LastConfirmed),
                };
                if (status is IncidentStatus.Resolved or IncidentStatus.Closed && times.Resolved is null)
                {
                    times = times with { Resolved = now };
                }
                return i with
                {
                    Title = F("title") ?? i.Title,
                    Status = status ?? i.Status,
                    Severity = severity ?? i.Severity,
                    Summary = F("summary") ?? i.Summary,
                    BusinessImpact = F("impact") ?? i.BusinessImpact,
                    AffectedUsers = F("users") ?? i.AffectedUsers,
                    Environment = F("environment") ?? i.Environment,
                    RootCause = F("root-cause") ?? i.RootCause,
                    Trigger = F("trigger") ?? i.Trigger,
                    Solution = F("solution") ?? i.Solution,
                    TechnicalExplanation = F("explanation") ?? i.TechnicalExplanation,
                    FailurePattern = F("pattern") ?? i.FailurePattern,
                    Correlation = F("correlation") ?? i.Correlation,
                    Times = times,
                    Components = i.Components with
                    {
                        Services = Add(i.Components.Services, "service"),
                        Infrastructure = Add(i.Components.Infrastructure, "infrastructure"),
                        Databases = Add(i.Components.Databases, "database"),
                        Endpoints = Add(i.Components.Endpoints, "endpoint"),
                    },
                    Reproduction = i.Reproduction with { Steps = Add(i.Reproduction.Steps, "step") },
                    Investigation = i.Investigation with { KeyQuestions = Add(i.Investigation.KeyQuestions, "question") },
                    ErrorMessages = Add(i.ErrorMessages, "error"),
                    RecentChanges = Add(i.RecentChanges, "change"),
                    Tags = Add(i.Tags, "tag"),
                    ContributingFactors = Add(i.ContributingFactors, "factor"),
                    WentWell = Add(i.WentWell, "well"),
                    WentWrong = Add(i.WentWrong, "wrong"),
                    GotLucky = Add(i.GotLucky, "lucky"),
                    Lessons = Add(i.Lessons, "lesson"),
                };
            });
            inv.Changed(updated.Id);
            foreach (var problem in TimelineChecks.CheckMilestones(updated.Times, inv.Now))
            {
                inv.Warn($"{updated.Id}: {problem}");
            }
            if (inv.Get(json))
            {
                inv.Out.Json(updated);
            }
            else
            {
                inv.Out.Line($"Updated {updated.Id} (revision {updated.Revision}).");
            }
            return 0;
        });
        return command;
    }

    public static Command Delete(CliApp app)
    {
        var id = Options.IncidentId();
        var yes = new Option<bool>("--yes") { Description = "Really delete the incident and all its evidence" };
        var command = new Command("delete", "Delete an incident and its evidence") { id, yes };
        app.SetAction(command, inv =>
        {
            var incidentId = inv.Get(id)!;
            inv.Store.Get(incidentId);
            if (!inv.Get(yes))
            {
                throw new InvalidInputException($"not deleting '{incidentId}' without --yes");
            }
            inv.Store.Delete(incidentId);
            inv.Deleted(incidentId);
            inv.Out.Line($"Deleted {incidentId}.");
            return 0;
        });
        return command;
    }

    internal static string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidInputException($"the {what} must not be empty") : value.Trim();
}

/// <summary>One row of <c>list --json</c>: enough to pick an incident without loading it all.</summary>
public sealed record IncidentListItem(
    string Id, string Title, Severity Severity, IncidentStatus Status, DateTimeOffset? Started, DateTimeOffset? Resolved,
    IReadOnlyList<string> Services, IReadOnlyList<string> Tags, int Hypotheses, int Tasks, int TasksDone, DateTimeOffset UpdatedAt)
{
    public static IncidentListItem From(Incident i) => new(
        i.Id, i.Title, i.Severity, i.Status, i.Times.Started, i.Times.Resolved, i.Components.Services, i.Tags,
        i.Hypotheses.Count, i.Tasks.Count, i.Tasks.Count(t => t.Done), i.UpdatedAt);
}
