using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Fields;
using Hokusai.Incidents.Import.Syntax;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Timeline;

/// <summary>
/// Timelines in the shapes teams write them: a table with a time (or date) column and an event
/// column; "### 2021-06-03 09:00" headings with the event below; bullets that start with a time
/// ("[13:26]", "**16:58 UTC**", "± 17:20 UTC:", "10:18 AM -"). Bare times take the date of the
/// heading, date line or front matter above them, and the zone the document names; all end in UTC.
/// Also reads the lines that date the incident: "Date:", "Window: 10:00–11:30 CET", "Duration: 3h".
/// </summary>
public sealed partial class TimelineRecogniser : IRecogniser
{
    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        switch (unit)
        {
            case HeadingUnit heading:
                return Heading(heading, draft);
            case FieldLine field:
                return Field(field.Path, field.Key, field.Value, draft);
            case BlockUnit block when draft.HeadingEntry is { } entry && block.Path == entry.Path && block.Block is ParagraphBlock or ListBlock or QuoteBlock:
                AppendToHeadingEntry(block, entry.Index, draft);
                return true;
            case BlockUnit { Block: ParagraphBlock paragraph } block:
                NoticeZone(block.Source, draft);
                return PlainFieldLines(block, draft);
            case BlockUnit { Block: ListBlock list } block:
                return List(block, list, draft);
            case BlockUnit { Block: Table table } block:
                return TableOf(block, table, draft);
            default:
                return false;
        }
    }

    private static bool Heading(HeadingUnit unit, DocumentDraft draft)
    {
        draft.HeadingEntry = null;
        var text = InlineText.Plain(unit.Path.Last?.Text ?? "");
        NoticeZone(text, draft);
        if (ClockText.TryLeading(text, out var reading, out var rest) && (reading.Date is not null || IsTimelineSection(unit.Path)))
        {
            if (reading.Date is { } d)
            {
                draft.Day = d;
            }
            if (reading.On(draft.Day, draft.Zone) is { } at)
            {
                draft.AddTimelineEntry(new TimelineEntry { At = at, Text = rest, Kind = KindOf(rest) });
                draft.HeadingEntry = (unit.Path, draft.TimelineEntries.Count - 1);
                draft.Place(unit.Path, "timeline");
                return true;
            }
        }
        if (ClockText.TryDate(text, out var day))
        {
            // "### June 3, 2021" or "## Timeline (2021-06-03)": the day for the bare times below.
            draft.Day = day;
        }
        return false;
    }

    private static void AppendToHeadingEntry(BlockUnit block, int index, DocumentDraft draft)
    {
        var e = draft.TimelineEntries[index];
        var text = DocumentDraft.Append(e.Text, block.Source);
        draft.TimelineEntries[index] = e with { Text = text, Kind = e.Text.Length == 0 ? KindOf(text) : e.Kind };
        draft.Place(block.Path, "timeline");
    }

    private static bool Field(HeadingPath path, string rawKey, string value, DocumentDraft draft)
    {
        var key = FieldRecogniser.Name(rawKey);
        if (ClockText.TryWhole(rawKey, out var stamp, out _) && stamp?.On(draft.Day, draft.Zone) is { } stamped)
        {
            // "**16:58 UTC**: the event", one per line of a paragraph.
            draft.AddTimelineEntry(new TimelineEntry { At = stamped, Text = value, Kind = KindOf(value) });
            draft.Place(path, "timeline");
            return true;
        }
        switch (key)
        {
            case "date" or "incident date" or "date of incident" or "day" when ClockText.TryDate(value, out var day):
                draft.Day ??= day;
                draft.IncidentDay ??= day;
                if (ClockText.TryLeading(AfterDate(value), out var r, out _) && r.On(day, draft.Zone) is { } at)
                {
                    draft.Change(i => i with { Times = i.Times with { Started = i.Times.Started ?? at } });
                }
                draft.Place(path, "field:date");
                return true;
            case "window" or "time window" or "impact window" or "incident window" or "outage window" or "duration of impact" when Window(value, draft):
                draft.Place(path, "field:window");
                return true;
            case "duration" or "total duration" or "outage duration" or "impact duration" when DurationOf(value) is { } span:
                draft.Duration = span;
                draft.Place(path, "field:duration");
                return true;
            case "time zone" or "timezone" or "times" when ClockText.Zone(InlineText.Plain(value)) is { } zone:
                draft.Zone = zone;
                draft.Place(path, "field:time-zone");
                return true;
            case "started" or "start" or "start time" or "began" or "impact start" or "detected" or "detected at" or "detection time" or "mitigated" or "mitigated at"
                or "resolved" or "resolved at" or "end" or "end time" or "ended" or "impact end":
                if (!ClockText.TryLeading(InlineText.Plain(value), out var reading, out _) || reading.On(draft.Day, draft.Zone) is not { } when)
                {
                    return false;
                }
                draft.Change(i => i with
                {
                    Times = key switch
                    {
                        "detected" or "detected at" or "detection time" => i.Times with { Detected = i.Times.Detected ?? when },
                        "mitigated" or "mitigated at" => i.Times with { Mitigated = i.Times.Mitigated ?? when },
                        "resolved" or "resolved at" or "end" or "end time" or "ended" or "impact end" => i.Times with { Resolved = i.Times.Resolved ?? when },
                        _ => i.Times with { Started = i.Times.Started ?? when },
                    },
                });
                draft.Place(path, "field:times");
                return true;
            default:
                return false;
        }
    }

    private static string AfterDate(string value)
    {
        var plain = InlineText.Plain(value);
        var m = Regex.Match(plain, @"\d{4}-\d{2}-\d{2}[ T,]*(?:at\s+)?", RegexOptions.CultureInvariant);
        return m.Success ? plain[(m.Index + m.Length)..] : "";
    }

    /// <summary>Paragraphs of plain "Key: value" lines ("Date: 2024-03-05", "Duration: 3h") when every key is one of the dating keys.</summary>
    private static bool PlainFieldLines(BlockUnit block, DocumentDraft draft)
    {
        var lines = block.Source.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var pairs = new List<(string Key, string Value)>();
        foreach (var line in lines)
        {
            var m = PlainField().Match(line);
            if (!m.Success || !DatingKeys.Contains(FieldRecogniser.Name(m.Groups["key"].Value)))
            {
                return false;
            }
            pairs.Add((m.Groups["key"].Value, m.Groups["value"].Value));
        }
        var all = true;
        foreach (var (key, value) in pairs)
        {
            all &= Field(block.Path, key, value, draft);
        }
        if (!all)
        {
            // What was not understood stays visible as written.
            draft.AddNote(block.Path, block.Source);
        }
        return true;
    }

    private static readonly HashSet<string> DatingKeys = new(StringComparer.Ordinal)
    {
        "date", "incident date", "date of incident", "window", "time window", "impact window", "incident window", "outage window",
        "duration", "total duration", "outage duration", "impact duration", "time zone", "timezone", "started", "start", "start time",
        "detected", "detected at", "mitigated", "mitigated at", "resolved", "resolved at", "ended", "end time", "impact start", "impact end",
    };

    private static bool Window(string value, DocumentDraft draft)
    {
        var plain = InlineText.Plain(value);
        var m = WindowText().Match(plain);
        if (!m.Success)
        {
            return false;
        }
        DateOnly? day = ClockText.TryDate(plain, out var d) ? d : draft.Day;
        var zone = ClockText.Zone(m.Groups["zone"].Value) ?? draft.Zone;
        if (!ClockText.TryLeading(m.Groups["from"].Value, out var from, out _) || !ClockText.TryLeading(m.Groups["to"].Value, out var to, out _))
        {
            return false;
        }
        var start = from.On(day, zone);
        var end = to.On(day, zone);
        if (start is null || end is null)
        {
            return false;
        }
        if (end < start)
        {
            // 23:10–01:40 runs past midnight.
            end = end.Value.AddDays(1);
        }
        draft.WindowStart = start;
        draft.WindowEnd = end;
        draft.Day ??= DateOnly.FromDateTime(start.Value.UtcDateTime);
        return true;
    }

    /// <summary>"3h", "2 hours 15 minutes", "1h30m", "45 min", "about 90 minutes".</summary>
    public static TimeSpan? DurationOf(string value)
    {
        var total = TimeSpan.Zero;
        var found = false;
        foreach (Match m in DurationPart().Matches(InlineText.Plain(value)))
        {
            var n = double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var unit = m.Groups["u"].Value.ToLowerInvariant();
            total += unit.StartsWith('d') ? TimeSpan.FromDays(n) : unit.StartsWith('h') ? TimeSpan.FromHours(n) : unit.StartsWith('s') ? TimeSpan.FromSeconds(n) : TimeSpan.FromMinutes(n);
            found = true;
        }
        return found && total > TimeSpan.Zero ? total : null;
    }

    private static void NoticeZone(string text, DocumentDraft draft)
    {
        if (draft.Zone is null && ClockText.DocumentZone(text) is { } zone)
        {
            draft.Zone = zone;
        }
    }

    private static bool IsTimelineSection(HeadingPath path) =>
        path.Mentions("timeline", "chronology", "sequence of events", "events", "time line");

    private static bool List(BlockUnit block, ListBlock list, DocumentDraft draft)
    {
        var items = list.OfType<ListItemBlock>().ToList();
        if (items.Count == 0)
        {
            return false;
        }
        var texts = items.Select(ItemText).ToList();
        var timed = texts.Count(t => ClockText.TryLeading(t, out _, out _));
        var inTimeline = IsTimelineSection(block.Path) && block.Label is null;
        if (timed == 0 || !inTimeline && (timed < 2 || timed * 10 < texts.Count * 6))
        {
            return false;
        }
        for (var n = 0; n < items.Count; n++)
        {
            var item = items[n];
            if (ClockText.TryLeading(texts[n], out var reading, out var rest))
            {
                if (reading.Date is { } d)
                {
                    draft.Day = d;
                }
                if (reading.On(draft.Day, draft.Zone) is { } at)
                {
                    var text = rest;
                    foreach (var child in item.Skip(1))
                    {
                        // Sub-bullets explain the entry; they stay with it.
                        text = DocumentDraft.Append(text, DocumentWalker.Slice(draft.SourceText, child));
                    }
                    draft.AddTimelineEntry(new TimelineEntry { At = at, Text = text, Kind = KindOf(text) });
                    draft.Place(block.Path, "timeline");
                    continue;
                }
            }
            // No time, or a time without any date to put it on: kept as written.
            draft.AddNote(block.Path, DocumentWalker.Slice(draft.SourceText, item));
        }
        return true;
    }

    private enum Column
    {
        Other,
        Date,
        Time,
        DateTime,
        Event,
    }

    private static bool TableOf(BlockUnit block, Table table, DocumentDraft draft)
    {
        if (table.Count < 2 || table[0] is not TableRow { IsHeader: true } header)
        {
            return false;
        }
        var headers = header.OfType<TableCell>().Select(Cell).ToList();
        var names = headers.Select(FieldRecogniser.Name).ToList();
        var columns = names.Select(n => n switch
        {
            "date" or "day" => Column.Date,
            "time" or "time (utc)" or "utc" or "when" or "time utc" or "clock" => Column.Time,
            "timestamp" or "date/time" or "datetime" or "date and time" or "date & time" or "at" => Column.DateTime,
            _ when n.StartsWith("time (", StringComparison.Ordinal) || n.StartsWith("time in", StringComparison.Ordinal) => Column.Time,
            "event" or "events" or "description" or "what happened" or "action" or "activity" or "update" or "details" or "detail" or "what" or "notes" or "summary" => Column.Event,
            _ => Column.Other,
        }).ToList();
        if (!columns.Contains(Column.Event) || !(columns.Contains(Column.Time) || columns.Contains(Column.DateTime) || columns.Contains(Column.Date)))
        {
            return false;
        }
        // A zone in the header ("Time (PDT)") applies to the whole column.
        var headerZone = names.Select(n => ZoneInHeader().Match(n)).Where(m => m.Success).Select(m => ClockText.Zone(m.Groups["z"].Value.ToUpperInvariant())).FirstOrDefault(z => z is not null);
        foreach (var row in table.OfType<TableRow>().Skip(1))
        {
            var cells = row.OfType<TableCell>().Select(Cell).ToList();
            DateOnly? day = null;
            ClockReading? clock = null;
            var parts = new List<string>();
            for (var i = 0; i < cells.Count && i < columns.Count; i++)
            {
                var value = cells[i];
                switch (columns[i])
                {
                    case Column.Date when ClockText.TryDate(value, out var d):
                        day = d;
                        break;
                    case Column.Time or Column.DateTime or Column.Date when ClockText.TryWhole(value, out var r, out var dateOnly):
                        clock = r ?? clock;
                        day = dateOnly ?? r?.Date ?? day;
                        break;
                    case Column.Event:
                        parts.Insert(0, value);
                        break;
                    default:
                        if (value.Length > 0)
                        {
                            parts.Add($"{headers[i]}: {value}");
                        }
                        break;
                }
            }
            if (day is { } dd)
            {
                draft.Day = dd;
            }
            var text = string.Join("; ", parts.Where(p => p.Length > 0));
            var at = clock?.On(draft.Day, headerZone ?? draft.Zone) ?? (day is { } only ? new DateTimeOffset(only.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
            if (at is null || text.Length == 0)
            {
                draft.AddNote(block.Path, "| " + string.Join(" | ", cells) + " |");
                continue;
            }
            draft.AddTimelineEntry(new TimelineEntry { At = at.Value, Text = text, Kind = KindOf(text) });
            draft.Place(block.Path, "timeline");
        }
        return true;
    }

    private static string Cell(TableCell cell) =>
        string.Join(' ', cell.OfType<LeafBlock>().Select(InlineText.Of)).Trim();

    private static string ItemText(ListItemBlock item) =>
        item.Count > 0 && item[0] is ParagraphBlock p ? string.Join(' ', InlineText.Of(p).Split('\n', StringSplitOptions.TrimEntries)) : "";

    public static TimelineKind KindOf(string text)
    {
        var t = text.ToLowerInvariant();
        return t switch
        {
            _ when t.Contains("resolved") || t.Contains("recovered") || t.Contains("all clear") || t.Contains("fully restored") || t.Contains("incident closed") => TimelineKind.Resolution,
            _ when t.Contains("rollback") || t.Contains("rolled back") || t.Contains("roll back") || t.Contains("rolls back") || t.Contains("mitigat") || t.Contains("failover") || t.Contains("failed over") || t.Contains("restored") => TimelineKind.Mitigation,
            _ when t.Contains("deploy") || t.Contains("released") || t.Contains("rolled out") || t.Contains("merged") => TimelineKind.Deploy,
            _ when t.Contains("alert") || t.Contains("alarm") || t.Contains("detected") || t.Contains("reported") || t.Contains("paged") || t.Contains("noticed") => TimelineKind.Detection,
            _ when t.Contains("escalat") => TimelineKind.Escalation,
            _ when t.Contains("announce") || t.Contains("status page") || t.Contains("notified") || t.Contains("posted") => TimelineKind.Communication,
            _ => TimelineKind.Observation,
        };
    }

    [GeneratedRegex(@"^(?<key>[A-Z][A-Za-z ]{1,30}):\s+(?<value>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainField();

    [GeneratedRegex(@"(?<from>\d{1,2}:\d{2}\s*(?:[AaPp][Mm])?)\s*(?:–|—|-|to|until)\s*(?<to>\d{1,2}:\d{2}\s*(?:[AaPp][Mm])?)\s*(?<zone>UTC(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|GMT|Z|[CE]ES?T|[ECMP][SD]T|BST|IST|JST|[+-]\d{2}:?\d{2})?", RegexOptions.CultureInvariant)]
    private static partial Regex WindowText();

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)\s*(?<u>d(?:ays?)?|h(?:ours?|rs?)?|m(?:in(?:ute)?s?)?|s(?:ec(?:ond)?s?)?)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"\b(?<z>utc(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|gmt|[ce]es?t|[ecmp][sd]t|bst|ist|jst)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneInHeader();
}
