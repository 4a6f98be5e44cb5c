using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Syntax;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Fields;

/// <summary>
/// Bold <c>**Key**: value</c> lines and named sections (summary, reproduction, affected components,
/// observations, investigation plan, risk, timeline, root cause, solution, current state, impact,
/// lessons) become the incident's own fields.
/// </summary>
public sealed partial class FieldRecogniser : IRecogniser
{
    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        var done = unit switch
        {
            FieldLine field => Field(field, draft),
            BlockUnit block => Block(block, draft),
            _ => null,
        };
        if (done is null)
        {
            return false;
        }
        draft.Place(unit.Path, "field:" + done);
        return true;
    }

    /// <summary>Lower-case words of a heading or label without numbering, emoji or markup.</summary>
    public static string Name(string? text)
    {
        var plain = InlineText.Plain(text ?? "").ToLowerInvariant().Trim().TrimEnd(':').Trim();
        return Numbering().Replace(plain, "").Replace('’', '\'');
    }

    private static string? Field(FieldLine line, DocumentDraft draft)
    {
        var key = Name(line.Key);
        var value = line.Value;
        var path = line.Path;
        if (path.Mentions("related code") && key is "file" or "line" or "issue" or "snippet")
        {
            return CodeReference(key, value, draft);
        }
        if (IsStateSection(path))
        {
            var component = path.Last is { } last && !IsStateHeading(last.Text) ? Component(last.Text) : Component(line.Key);
            var detail = key is "status" or "state" || component == Component(line.Key) ? value : $"{line.Key}: {value}";
            State(draft, component, HealthOf(path, value), detail);
            return "current-state";
        }
        switch (key)
        {
            case "issue" or "summary" or "problem" or "symptom":
                draft.Change(i => i with { Summary = DocumentDraft.Append(i.Summary, value) });
                return "summary";
            case "severity" or "sev" or "impact level" or "priority" or "level" or "incident severity" when SeverityOf(value) is { } severity:
                if (draft.Severity is { } known && known != severity)
                {
                    return null;
                }
                draft.Severity = severity;
                return "severity";
            case "status" or "incident status" or "state" when StatusOf(value) is { } status:
                draft.Status = status;
                return "status";
            case "affected users" or "users affected" or "who is affected":
                draft.Change(i => i with { AffectedUsers = DocumentDraft.Append(i.AffectedUsers, value) });
                return "affected-users";
            case "business impact" or "customer impact":
                draft.Change(i => i with { BusinessImpact = DocumentDraft.Append(i.BusinessImpact, value) });
                return "business-impact";
            case "environment" or "env":
                draft.Change(i => i with { Environment = DocumentDraft.Append(i.Environment, value) });
                return "environment";
            case "success rate" or "reproduction rate" or "reproducibility":
                draft.Change(i => i with { Reproduction = i.Reproduction with { SuccessRate = DocumentDraft.Append(i.Reproduction.SuccessRate, value) } });
                return "reproduction";
            case "variations":
                draft.Change(i => i with { Reproduction = i.Reproduction with { Variations = DocumentDraft.Append(i.Reproduction.Variations, value) } });
                return "reproduction";
            case "pattern" or "failure pattern":
                draft.Change(i => i with { FailurePattern = DocumentDraft.Append(i.FailurePattern, value) });
                return "failure-pattern";
            case "correlation":
                draft.Change(i => i with { Correlation = DocumentDraft.Append(i.Correlation, value) });
                return "correlation";
            case "previous fix attempts" or "previous fixes":
                draft.Change(i => i with { PreviousFixAttempts = [.. i.PreviousFixAttempts, value] });
                return "previous-fix-attempts";
            case "root cause":
                draft.Change(i => i with { RootCause = DocumentDraft.Append(i.RootCause, value) });
                return "root-cause";
            case "trigger":
                draft.Change(i => i with { Trigger = DocumentDraft.Append(i.Trigger, value) });
                return "trigger";
            case "solution" or "fix" or "resolution":
                draft.Change(i => i with { Solution = DocumentDraft.Append(i.Solution, value) });
                return "solution";
            case "tags" or "labels":
                var tags = value.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => InlineText.Plain(t));
                draft.Change(i => i with { Tags = [.. i.Tags, .. tags] });
                return "tags";
        }
        if (TimeField(key) is { } time && LooseTime.TryParse(value, out var at))
        {
            draft.Change(i => i with { Times = time(i.Times, at) });
            return "times";
        }
        return null;
    }

    private static Func<IncidentTimes, DateTimeOffset, IncidentTimes>? TimeField(string key) => key switch
    {
        "first reported" or "reported" => (t, v) => t with { FirstReported = v },
        "last confirmation" or "last confirmed" or "last seen" => (t, v) => t with { LastConfirmed = v },
        "started" or "start" or "start time" or "began" => (t, v) => t with { Started = v },
        "detected" or "detection" or "detected at" => (t, v) => t with { Detected = v },
        "mitigated" or "mitigated at" => (t, v) => t with { Mitigated = v },
        "resolved" or "resolved at" or "ended" => (t, v) => t with { Resolved = v },
        _ => null,
    };

    private static string? Block(BlockUnit unit, DocumentDraft draft)
    {
        var path = unit.Path;
        var name = Name(unit.Label ?? path.Last?.Text);
        if (unit.Block is ListBlock list)
        {
            return List(unit, list, name, draft);
        }
        if (unit.Block is ParagraphBlock or CodeBlock or QuoteBlock && unit.Label is null && !unit.AfterRule)
        {
            return Prose(unit, name, draft);
        }
        return null;
    }

    private static string? List(BlockUnit unit, ListBlock list, string name, DocumentDraft draft)
    {
        var path = unit.Path;
        if (IsStateSection(path) && list.OfType<ListItemBlock>().All(i => StateItem().IsMatch(ItemText(i))))
        {
            foreach (var item in list.OfType<ListItemBlock>())
            {
                var m = StateItem().Match(ItemText(item));
                State(draft, Component(m.Groups["name"].Value), HealthOf(path, m.Groups["detail"].Value), m.Groups["detail"].Value.Trim());
            }
            return "current-state";
        }
        Func<Incident, IReadOnlyList<string>, Incident>? into = name switch
        {
            "services" or "service" => (i, v) => i with { Components = i.Components with { Services = [.. i.Components.Services, .. v] } },
            "infrastructure" => (i, v) => i with { Components = i.Components with { Infrastructure = [.. i.Components.Infrastructure, .. v] } },
            "database" or "databases" or "data stores" => (i, v) => i with { Components = i.Components with { Databases = [.. i.Components.Databases, .. v] } },
            "api endpoints" or "endpoints" => (i, v) => i with { Components = i.Components with { Endpoints = [.. i.Components.Endpoints, .. v] } },
            "environment required" or "prerequisites" => (i, v) => i with { Reproduction = i.Reproduction with { EnvironmentRequired = [.. i.Reproduction.EnvironmentRequired, .. v] } },
            "steps to reproduce" or "reproduction steps" or "repro steps" or "to reproduce" => (i, v) => i with { Reproduction = i.Reproduction with { Steps = [.. i.Reproduction.Steps, .. v] } },
            "error messages" or "errors" or "error message" => (i, v) => i with { ErrorMessages = [.. i.ErrorMessages, .. v] },
            "recent changes" or "changes" or "recent deploys" => (i, v) => i with { RecentChanges = [.. i.RecentChanges, .. v] },
            "similar past issues" or "similar incidents" or "related incidents" => (i, v) => i with { SimilarPastIssues = [.. i.SimilarPastIssues, .. v] },
            "priority order" when path.Mentions("investigation") => (i, v) => i with { Investigation = i.Investigation with { PriorityOrder = [.. i.Investigation.PriorityOrder, .. v] } },
            "key questions" or "open questions" => (i, v) => i with { Investigation = i.Investigation with { KeyQuestions = [.. i.Investigation.KeyQuestions, .. v] } },
            "success criteria" or "goals" when path.Mentions("investigation") => (i, v) => i with { Investigation = i.Investigation with { Goals = [.. i.Investigation.Goals, .. v] } },
            "previous fix attempts" => (i, v) => i with { PreviousFixAttempts = [.. i.PreviousFixAttempts, .. v] },
            _ when name.Contains("why it wasn't caught") || name.Contains("contributing factors") || name.Contains("why it was not caught") => (i, v) => i with { ContributingFactors = [.. i.ContributingFactors, .. v] },
            "direct impact" => (i, v) => i with { DirectImpact = [.. i.DirectImpact, .. v] },
            "cascade effects" or "knock-on effects" or "secondary impact" => (i, v) => i with { CascadeEffects = [.. i.CascadeEffects, .. v] },
            _ when IsLessonList(name) is { } lessons => lessons,
            _ => null,
        };
        if (into is null && unit.Label is { } label)
        {
            if (path.Mentions("data analysis", "data to analyse", "data to analyze", "data needed"))
            {
                into = (i, v) => i with { Investigation = i.Investigation with { DataToAnalyse = Labeled(i.Investigation.DataToAnalyse, label, v) } };
            }
            else if (path.Mentions("risk"))
            {
                into = (i, v) => i with { RiskAssessment = Labeled(i.RiskAssessment, label, v) };
            }
        }
        if (into is null && path.LastMentions("timeline") && unit.Label is null)
        {
            return Timeline(unit, list, draft);
        }
        if (into is null)
        {
            return Prose(unit, name, draft);
        }
        var items = Items(list, unit, draft);
        draft.Change(i => into(i, items));
        return name.Replace(' ', '-');
    }

    /// <summary>Which of the four lesson lists a heading names, if any.</summary>
    private static Func<Incident, IReadOnlyList<string>, Incident>? IsLessonList(string name) => name switch
    {
        "what went well" or "went well" or "things that went well" or "what worked" or "what worked well" => (i, v) => i with { WentWell = [.. i.WentWell, .. v] },
        "what went wrong" or "went wrong" or "what didn't go well" or "what went poorly" or "went poorly" or "what went badly" or "what didn't work"
            or "what could have gone better" or "what could be improved" => (i, v) => i with { WentWrong = [.. i.WentWrong, .. v] },
        "where we got lucky" or "got lucky" or "where we were lucky" or "we got lucky" or "lucky breaks" => (i, v) => i with { GotLucky = [.. i.GotLucky, .. v] },
        "lessons learned" or "lessons" or "lessons learnt" or "what we learned" or "what we learnt" or "takeaways" or "key takeaways" or "learnings" or "key learnings" => (i, v) => i with { Lessons = [.. i.Lessons, .. v] },
        _ => null,
    };

    private static IReadOnlyList<LabeledList> Labeled(IReadOnlyList<LabeledList> lists, string label, IReadOnlyList<string> items) =>
        lists.Any(l => l.Label == label)
            ? [.. lists.Select(l => l.Label == label ? l with { Items = [.. l.Items, .. items] } : l)]
            : [.. lists, new LabeledList { Label = label, Items = items }];

    /// <summary>Whole sections whose prose is the field: summary, root cause, explanation, solution, impact.</summary>
    private static string? Prose(BlockUnit unit, string name, DocumentDraft draft)
    {
        var text = unit.Source;
        if (unit.Block is ParagraphBlock && IsLessonList(name) is { } lesson)
        {
            // Lessons written as prose: each paragraph is one.
            draft.Change(i => lesson(i, [InlineText.Unwrap(text)]));
            return "lessons";
        }
        switch (name)
        {
            case "root causes" or "root cause(s)" or "root cause analysis" or "cause" or "causes" or "5 whys" or "whys" or "five whys" or "the 5 whys" or "the five whys"
                or "why did this happen" or "underlying cause" or "what caused it" or "cause of the incident":
                // A 5-whys list is kept as written, so the chain stays in order.
                draft.Change(i => i with { RootCause = DocumentDraft.Append(i.RootCause, unit.Block is ListBlock ? text : InlineText.Unwrap(text)) });
                return "root-cause";
            case "triggering event" or "what triggered it" or "triggers":
                draft.Change(i => i with { Trigger = DocumentDraft.Append(i.Trigger, text) });
                return "trigger";
            case "recovery" or "mitigation" or "resolution and recovery" or "mitigation and resolution" or "how we fixed it" or "remediation taken" or "fix applied":
                draft.Change(i => i with { Solution = DocumentDraft.Append(i.Solution, text) });
                return "solution";
            case "user impact" or "impact assessment" or "customer-facing impact" or "impact summary" or "scope of impact":
                draft.Change(i => i with { BusinessImpact = DocumentDraft.Append(i.BusinessImpact, text) });
                return "business-impact";
            case "tl;dr" or "tldr" or "incident overview" or "description" or "synopsis":
                draft.Change(i => i with { Summary = DocumentDraft.Append(i.Summary, InlineText.Unwrap(text)) });
                return "summary";
            case "summary" or "executive summary" or "bug summary" or "incident summary" or "overview":
                draft.Change(i => i with { Summary = DocumentDraft.Append(i.Summary, InlineText.Unwrap(text)) });
                return "summary";
            case "root cause" or "confirmed root cause" or "probable root cause":
                draft.Change(i => i with { RootCause = DocumentDraft.Append(i.RootCause, InlineText.Unwrap(text)) });
                return "root-cause";
            case "technical explanation" or "the bug" or "what happened":
                draft.Change(i => i with { TechnicalExplanation = DocumentDraft.Append(i.TechnicalExplanation, text) });
                return "technical-explanation";
            case "solution" or "resolution" or "the fix" or "fix":
                draft.Change(i => i with { Solution = DocumentDraft.Append(i.Solution, text) });
                return "solution";
            case "business impact" or "impact" or "customer impact":
                draft.Change(i => i with { BusinessImpact = DocumentDraft.Append(i.BusinessImpact, text) });
                return "business-impact";
            case "trigger":
                draft.Change(i => i with { Trigger = DocumentDraft.Append(i.Trigger, text) });
                return "trigger";
            default:
                return null;
        }
    }

    private static string? Timeline(BlockUnit unit, ListBlock list, DocumentDraft draft)
    {
        var entries = new List<TimelineEntry>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var m = TimelineItem().Match(ItemText(item));
            if (!m.Success || !LooseTime.TryParse(m.Groups["t"].Value, out var at))
            {
                return null;
            }
            var text = m.Groups["text"].Value.Trim();
            entries.Add(new TimelineEntry { At = at, Text = text, Kind = KindOf(text) });
        }
        draft.Change(i => i with { Timeline = [.. i.Timeline, .. entries] });
        return "timeline";
    }

    private static TimelineKind KindOf(string text)
    {
        var t = text.ToLowerInvariant();
        return t switch
        {
            _ when t.Contains("resolved") || t.Contains("recovered") => TimelineKind.Resolution,
            _ when t.Contains("rollback") || t.Contains("rolled back") || t.Contains("mitigat") || t.Contains("failover") => TimelineKind.Mitigation,
            _ when t.Contains("deploy") || t.Contains("released") => TimelineKind.Deploy,
            _ when t.Contains("alert") || t.Contains("alarm") || t.Contains("detected") || t.Contains("reported") || t.Contains("paged") => TimelineKind.Detection,
            _ when t.Contains("escalat") => TimelineKind.Escalation,
            _ when t.Contains("announce") || t.Contains("status page") || t.Contains("notified") => TimelineKind.Communication,
            _ => TimelineKind.Observation,
        };
    }

    private static IReadOnlyList<string> Items(ListBlock list, BlockUnit unit, DocumentDraft draft)
    {
        var items = new List<string>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            items.Add(ItemText(item));
            foreach (var child in item.Skip(1))
            {
                if (child is ListBlock nested)
                {
                    items.AddRange(Items(nested, unit, draft));
                }
                else
                {
                    draft.AddNote(unit.Path, DocumentWalker.Slice(draft.SourceText, child));
                }
            }
        }
        return items;
    }

    private static string ItemText(ListItemBlock item) =>
        item.Count > 0 && item[0] is ParagraphBlock p ? string.Join(' ', InlineText.Of(p).Split('\n', StringSplitOptions.TrimEntries)) : "";

    private static string? CodeReference(string key, string value, DocumentDraft draft)
    {
        var plain = value.Trim().Trim('`');
        draft.Change(i =>
        {
            var refs = i.RelatedCode.ToList();
            if (key == "file" || refs.Count == 0)
            {
                refs.Add(new CodeReference { File = key == "file" ? plain : "(unknown)" });
            }
            var last = refs[^1];
            refs[^1] = key switch
            {
                "line" when int.TryParse(Digits().Match(plain).Value, out var n) => last with { Line = n },
                "issue" => last with { Issue = DocumentDraft.Append(last.Issue, value) },
                "snippet" => last with { Snippet = new CodeSnippet { Code = plain } },
                _ => last,
            };
            return i with { RelatedCode = refs };
        });
        return "related-code";
    }

    private static bool IsStateSection(HeadingPath path) => path.Headings.Any(h => IsStateHeading(h.Text));

    private static bool IsStateHeading(string text)
    {
        var n = Name(text);
        return n.Contains("what's fixed") || n.Contains("what is fixed") || n.Contains("still broken") || n.Contains("what's broken")
            || n is "current state" or "current status" or "component status" or "service status";
    }

    private static string Component(string text) => InlineText.Plain(Numbering().Replace(InlineText.Plain(text), "")).Trim();

    private static ComponentHealth HealthOf(HeadingPath path, string detail)
    {
        if (detail.Contains('✅'))
        {
            return ComponentHealth.Healthy;
        }
        if (detail.Contains('❌'))
        {
            return ComponentHealth.Down;
        }
        if (detail.Contains('⚠'))
        {
            return ComponentHealth.Degraded;
        }
        if (path.Headings.Any(h => Name(h.Text).Contains("broken")))
        {
            return ComponentHealth.Down;
        }
        if (path.Headings.Any(h => Name(h.Text).Contains("fixed")))
        {
            return ComponentHealth.Healthy;
        }
        return ComponentHealth.Unknown;
    }

    private static void State(DocumentDraft draft, string component, ComponentHealth health, string detail)
    {
        var clean = InlineText.Plain(detail).Length == 0 ? null : detail.Replace("✅", "", StringComparison.Ordinal).Replace("❌", "", StringComparison.Ordinal).Trim();
        draft.Change(i =>
        {
            var states = i.CurrentState.ToList();
            var at = states.FindIndex(s => string.Equals(s.Component, component, StringComparison.OrdinalIgnoreCase));
            if (at < 0)
            {
                states.Add(new ComponentState { Component = component, Health = health, Detail = clean });
            }
            else
            {
                var s = states[at];
                states[at] = s with
                {
                    Health = s.Health == ComponentHealth.Unknown ? health : s.Health,
                    Detail = clean is null ? s.Detail : s.Detail is null ? clean : s.Detail + "; " + clean,
                };
            }
            return i with { CurrentState = states };
        });
    }

    /// <summary>The first severity word in the text: SEV0–4, P0–P4, critical/major/minor, high/medium/low.</summary>
    public static Severity? SeverityOf(string value)
    {
        foreach (var word in InlineText.Plain(value).ToLowerInvariant().Split([' ', '(', ')', ',', '/', ':', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
        {
            var w = word.Replace("-", "", StringComparison.Ordinal);
            Severity? found = w switch
            {
                "sev0" or "sev1" or "p0" or "p1" or "critical" or "s0" or "s1" => Severity.Sev1,
                "sev2" or "p2" or "major" or "high" or "s2" => Severity.Sev2,
                "sev3" or "p3" or "medium" or "moderate" or "minor" or "s3" => Severity.Sev3,
                "sev4" or "p4" or "low" or "s4" => Severity.Sev4,
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }
        return null;
    }

    /// <summary>A status as reports word it; "complete" and "fixed" mean resolved.</summary>
    public static IncidentStatus? StatusOf(string value)
    {
        var first = InlineText.Plain(value).Split([' ', ',', '(', '.', '—', '-'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        return first switch
        {
            "investigating" or "open" or "ongoing" or "active" => IncidentStatus.Investigating,
            "identified" => IncidentStatus.Identified,
            "mitigating" or "monitoring" or "mitigated" => IncidentStatus.Mitigating,
            "resolved" or "fixed" or "complete" or "completed" or "recovered" => IncidentStatus.Resolved,
            "closed" or "final" or "published" => IncidentStatus.Closed,
            _ => null,
        };
    }

    [GeneratedRegex(@"^\s*(?:\d+(?:\.\d+)*[.)]?|[a-z][.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Numbering();

    // "**MLflow service**: ✅ Running" — a component and how it is.
    [GeneratedRegex(@"^(?:\*\*|__)(?<name>[^*_]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?<detail>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex StateItem();

    [GeneratedRegex(@"^(?:\*\*|__)?(?<t>[^—–|*]{4,40}?)(?:\*\*|__)?\s*(?:—|–|\||\s-\s|:\s)\s*(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimelineItem();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
