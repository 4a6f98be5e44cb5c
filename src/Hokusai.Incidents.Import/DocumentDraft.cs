using Hokusai.Incidents.Import.Syntax;

namespace Hokusai.Incidents.Import;

/// <summary>The mutable state recognisers fill while one document is read; <see cref="Build"/> freezes it.</summary>
public sealed class DocumentDraft(string fileName, string sourceText)
{
    private readonly List<FixTask> _tasks = [];
    private readonly SortedDictionary<int, Hypothesis> _hypotheses = [];
    private readonly List<Incidents.Evidence> _evidence = [];
    private readonly List<Note> _notes = [];
    private readonly List<Placement> _placements = [];
    private readonly List<string> _warnings = [];

    public string FileName { get; } = fileName;
    public string SourceText { get; } = sourceText;
    public Incident Incident { get; set; } = new() { Id = "", Title = "" };
    public Severity? Severity { get; set; }
    public IncidentStatus? Status { get; set; }

    /// <summary>The document's level-1 title heading as written, for recognisers that read it as the first section's name.</summary>
    public string? TitleHeading { get; set; }

    /// <summary>The day bare times belong to: from front matter, a date line, or the last dated heading.</summary>
    public DateOnly? Day { get; set; }

    /// <summary>The day the document says the incident happened (front matter or a date line), if it says.</summary>
    public DateOnly? IncidentDay { get; set; }

    /// <summary>The zone bare times are in ("All times PDT"); UTC when the document does not say.</summary>
    public TimeSpan? Zone { get; set; }

    /// <summary>Start and end of an impact window ("Window: 10:00–11:30 CET") and a stated duration.</summary>
    public DateTimeOffset? WindowStart { get; set; }
    public DateTimeOffset? WindowEnd { get; set; }
    public TimeSpan? Duration { get; set; }

    /// <summary>A "### 2021-06-03 09:00" heading whose text below is its timeline entry.</summary>
    public (HeadingPath Path, int Index)? HeadingEntry { get; set; }

    /// <summary>Adds one dated timeline entry in document order (the merge sorts by time).</summary>
    public void AddTimelineEntry(TimelineEntry entry) => TimelineEntries.Add(entry);

    /// <summary>Entries the timeline recogniser found, kept apart so a long timeline is not copied on every entry.</summary>
    public List<TimelineEntry> TimelineEntries { get; } = [];

    /// <summary>Hypothesis numbers whose confidence came from an explicit percentage, which beats a bare label.</summary>
    public HashSet<int> ExplicitConfidence { get; } = [];

    /// <summary>Titles from a summary table, kept so a differing section title does not lose them.</summary>
    public Dictionary<int, (string Title, HeadingPath Path)> TableTitles { get; } = [];

    public IReadOnlyList<FixTask> Tasks => _tasks;

    public void Place(HeadingPath path, string target, int count = 1) =>
        _placements.Add(new Placement(path.ToString(), target, count));

    public void Warn(string message) => _warnings.Add($"{FileName}: {message}");

    public void Change(Func<Incident, Incident> change) => Incident = change(Incident);

    public int AddTask(FixTask task)
    {
        var number = _tasks.Count + 1;
        _tasks.Add(task with { Number = number });
        return number;
    }

    private readonly Dictionary<int, int> _taskKeys = [];
    private readonly List<(int Number, IReadOnlyList<int> After)> _dependencies = [];

    /// <summary>Remembers the key a document gave a task ("T12") and the keys it says the task comes after.</summary>
    public void RememberTaskKey(int number, int? key, IReadOnlyList<int> after)
    {
        if (key is { } k)
        {
            _taskKeys.TryAdd(k, number);
        }
        if (after.Count > 0)
        {
            _dependencies.Add((number, after));
        }
    }

    public Hypothesis Hypothesis(int number, string? title = null) =>
        _hypotheses.TryGetValue(number, out var h) ? h : new Hypothesis { Number = number, Title = title ?? $"Hypothesis {number}" };

    public void SetHypothesis(Hypothesis hypothesis) => _hypotheses[hypothesis.Number] = hypothesis;

    public bool HasHypothesis(int number) => _hypotheses.ContainsKey(number);

    public void AddEvidence(Incidents.Evidence evidence) => _evidence.Add(evidence with { DedupKey = EvidenceKeys.For(FileName, evidence.Title, evidence.Content) });

    public void AddNote(HeadingPath path, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        _notes.Add(new Note { Text = text.Trim(), HeadingPath = path.Headings.Count == 0 ? null : path.ToString(), Source = FileName });
        Place(path, "note");
    }

    public ImportedDocument Build(string? title)
    {
        foreach (var (number, (tableTitle, path)) in TableTitles)
        {
            if (_hypotheses.TryGetValue(number, out var h) && !Same(h.Title, tableTitle))
            {
                // The section's title won; the table's wording is still the author's and is kept.
                AddNote(path, $"H{number}: {tableTitle}");
            }
        }
        var tasks = _tasks.ToList();
        foreach (var (number, after) in _dependencies)
        {
            // Without keys in the document, "after T3" means the third task of the document.
            var resolved = after.Select(k => _taskKeys.Count == 0 ? k : _taskKeys.GetValueOrDefault(k)).Where(n => n > 0 && n <= tasks.Count && n != number).ToList();
            tasks[number - 1] = tasks[number - 1] with { DependsOn = resolved };
        }
        var timeline = TimelineEntries.Count == 0 ? Incident.Timeline : [.. Incident.Timeline, .. TimelineEntries];
        var times = InferredTimes(timeline);
        // Everything read from the document is the author's Markdown, rendered as written (sanitized).
        var incident = Incident with
        {
            Times = times,
            Timeline = [.. timeline.Select(e => e with { Markdown = true })],
            Title = title ?? Path.GetFileNameWithoutExtension(FileName),
            Tasks = [.. tasks.Select(t => t with { Markdown = true })],
            Hypotheses = [.. _hypotheses.Values.Select(h => h with { Markdown = true })],
            Notes = [.. _notes.Select(n => n with { Markdown = true })],
        };
        incident = incident with { MarkdownFields = MarkdownOrigin.Filled(incident) };
        return new ImportedDocument
        {
            FileName = FileName,
            Title = title,
            Incident = incident,
            Severity = Severity,
            // A write-up that says when the incident was resolved describes a resolved incident.
            Status = Status ?? (times.Resolved is not null ? IncidentStatus.Resolved : null),
            Evidence = [.. _evidence],
            Placements = [.. _placements],
            Warnings = [.. _warnings],
        };
    }

    /// <summary>
    /// Times the document states, then what its window, duration and timeline imply: the first
    /// detection, mitigation and (last) resolution entries, and the first entry as the start when
    /// nothing else says when it began.
    /// </summary>
    private IncidentTimes InferredTimes(IReadOnlyList<TimelineEntry> entries)
    {
        var t = Incident.Times;
        var timeline = entries.OrderBy(e => e.At).ToList();
        var started = t.Started ?? WindowStart ?? (timeline.Count > 0 ? timeline[0].At : null);
        var resolved = t.Resolved ?? WindowEnd
            ?? timeline.LastOrDefault(e => e.Kind == TimelineKind.Resolution)?.At
            ?? (Duration is { } span && started is { } s ? s + span : null);
        return t with
        {
            Started = started,
            Detected = t.Detected ?? timeline.FirstOrDefault(e => e.Kind == TimelineKind.Detection)?.At,
            Mitigated = t.Mitigated ?? timeline.FirstOrDefault(e => e.Kind == TimelineKind.Mitigation)?.At,
            Resolved = resolved,
            FirstReported = t.FirstReported ?? (started is null && IncidentDay is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null),
        };
    }

    private static bool Same(string a, string b) =>
        string.Equals(InlineText.Plain(a), InlineText.Plain(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>Joins prose found in several blocks of one section.</summary>
    public static string Append(string? existing, string addition) =>
        string.IsNullOrWhiteSpace(existing) ? addition.Trim() : existing.TrimEnd() + "\n\n" + addition.Trim();
}

public static class EvidenceKeys
{
    /// <summary>The same text under the same heading of the same file is the same evidence, wherever the file was imported from.</summary>
    public static string For(string fileName, string? heading, string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($"{Path.GetFileName(fileName)}\n{heading}\n{content}");
        return "md:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }
}
