using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Fields;
using Hokusai.Incidents.Import.Syntax;
using Hokusai.Incidents.Import.Timeline;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Tasks;

/// <summary>
/// Action items as postmortems list them — plain bullets, numbered lists or tables under "Action
/// items", "Follow-ups", "Remediation", "Corrective actions", "Next steps", "Prevention" — become fix
/// tasks with the owner ("@handle", "owner: x", an Owner/Assignee column) and due date ("by
/// 2025-10-01", a Due/Deadline column) they give. A priority is set only when the item states one.
/// </summary>
public sealed partial class ActionItemRecogniser : IRecogniser
{
    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        if (unit is not BlockUnit block)
        {
            return false;
        }
        // A document titled "Action items - …" is one action section from its first line.
        var titled = block.Path.Headings.Count == 0 && draft.TitleHeading is { } t && IsActionHeading(t);
        if (!titled && !IsActionSection(block.Label ?? block.Path.Last?.Text, block.Path))
        {
            return false;
        }
        var group = titled ? "Action items" : InlineText.Plain(block.Label ?? ActionHeading(block.Path) ?? "Action items");
        var section = block.Label is null && block.Path.Last is { } last && InlineText.Plain(last.Text) != group ? InlineText.Plain(last.Text) : null;
        switch (block.Block)
        {
            case ListBlock list:
                var count = ReadList(list, null, block, draft, group, section);
                draft.Place(block.Path, "task", count);
                return true;
            case Table table:
                return ReadTable(table, block, draft, group, section);
            default:
                return false;
        }
    }

    private static readonly string[] ActionWords =
    [
        "action item", "action items", "follow-up", "follow up", "followup", "remediation", "corrective action",
        "corrective and preventive", "preventive action", "preventative action", "next steps", "prevention", "to do", "todo",
        "action plan", "what we're doing", "what we are doing", "going forward",
    ];

    private static bool IsActionSection(string? heading, HeadingPath path) =>
        heading is not null && IsActionHeading(heading) || path.Headings.Any(h => IsActionHeading(h.Text));

    private static bool IsActionHeading(string heading)
    {
        var n = FieldRecogniser.Name(heading);
        return ActionWords.Any(w => n.Contains(w, StringComparison.Ordinal));
    }

    private static string? ActionHeading(HeadingPath path) => path.Headings.LastOrDefault(h => IsActionHeading(h.Text))?.Text;

    private static int ReadList(ListBlock list, int? parent, BlockUnit block, DocumentDraft draft, string group, string? section)
    {
        var count = 0;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var text = item.Count > 0 && item[0] is ParagraphBlock p ? string.Join(' ', InlineText.Of(p).Split('\n', StringSplitOptions.TrimEntries)) : "";
            if (text.Length == 0)
            {
                draft.AddNote(block.Path, DocumentWalker.Slice(draft.SourceText, item));
                continue;
            }
            var task = Parse(text, group, section) with { Parent = parent };
            var number = draft.AddTask(task);
            count++;
            foreach (var child in item.Skip(1))
            {
                if (child is ListBlock nested)
                {
                    count += ReadList(nested, number, block, draft, group, section);
                }
                else
                {
                    draft.AddNote(block.Path, DocumentWalker.Slice(draft.SourceText, child));
                }
            }
        }
        return count;
    }

    /// <summary>One action line: owner, due date, priority and done marks taken out, the rest is the title.</summary>
    public static FixTask Parse(string text, string? group, string? section)
    {
        var title = text.Trim();
        string? owner = null;
        DateOnly? due = null;
        Priority? priority = null;
        var done = false;

        var checkbox = Checkbox().Match(title);
        if (checkbox.Success)
        {
            done = checkbox.Groups["x"].Value.Trim().Length > 0;
            title = title[checkbox.Length..];
        }
        var o = OwnerText().Match(title);
        if (o.Success)
        {
            owner = o.Groups["owner"].Value.Trim().TrimEnd('.', ',', ';');
            title = Remove(title, o);
        }
        else if (Handle().Match(title) is { Success: true } h)
        {
            owner = h.Groups["h"].Value;
            // "@dana to rotate the keys": the handle is part of the sentence, so it stays in the title.
            if (h.Index + h.Length >= title.TrimEnd().Length || title[..h.Index].TrimEnd().EndsWith('(') || title[..h.Index].TrimEnd().EndsWith('-') || title[..h.Index].TrimEnd().EndsWith('—'))
            {
                title = Remove(title, h);
            }
        }
        var d = DueText().Match(title);
        if (d.Success && ClockText.TryDate(d.Groups["date"].Value, out var date))
        {
            due = date;
            title = Remove(title, d);
        }
        var pr = PriorityText().Match(title);
        if (pr.Success)
        {
            priority = Vocabulary.ParsePriority(pr.Groups["p"].Value.Replace("0", "1", StringComparison.Ordinal));
            title = Remove(title, pr);
        }
        if (DoneText().Match(title) is { Success: true } dm)
        {
            done = true;
            title = Remove(title, dm);
        }
        title = title.Trim().Trim('-', '—', '–', ',', ';', ' ').Trim();
        return new FixTask
        {
            Number = 0,
            Title = title.Length == 0 ? text.Trim() : title,
            Priority = priority,
            Group = group,
            Section = section,
            Owner = owner,
            Due = due,
            Done = done,
        };
    }

    private static string Remove(string text, Match m) =>
        string.Join(' ', (text[..m.Index] + " " + text[(m.Index + m.Length)..]).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Replace("( )", "", StringComparison.Ordinal).Replace("()", "", StringComparison.Ordinal);

    private enum Column
    {
        Other,
        Title,
        Owner,
        Due,
        Status,
        Priority,
    }

    private static bool ReadTable(Table table, BlockUnit block, DocumentDraft draft, string group, string? section)
    {
        if (table.Count < 2 || table[0] is not TableRow { IsHeader: true } header)
        {
            return false;
        }
        var names = header.OfType<TableCell>().Select(Cell).ToList();
        var columns = names.Select(n => FieldRecogniser.Name(n) switch
        {
            "action" or "action item" or "item" or "task" or "description" or "what" or "title" or "follow-up" or "remediation" or "fix" or "change" or "step" => Column.Title,
            "owner" or "owners" or "assignee" or "assigned to" or "who" or "responsible" or "dri" or "team" => Column.Owner,
            "due" or "due date" or "deadline" or "target date" or "eta" or "by" or "when" or "target" => Column.Due,
            "status" or "state" or "done" => Column.Status,
            "priority" or "prio" or "severity" => Column.Priority,
            _ => Column.Other,
        }).ToList();
        var titleAt = columns.IndexOf(Column.Title);
        if (titleAt < 0)
        {
            return false;
        }
        var count = 0;
        foreach (var row in table.OfType<TableRow>().Skip(1))
        {
            var cells = row.OfType<TableCell>().Select(Cell).ToList();
            if (titleAt >= cells.Count || cells[titleAt].Length == 0)
            {
                continue;
            }
            var task = Parse(cells[titleAt], group, section);
            var extra = new List<string>();
            for (var i = 0; i < cells.Count && i < columns.Count; i++)
            {
                var v = cells[i];
                if (v.Length == 0 || i == titleAt)
                {
                    continue;
                }
                switch (columns[i])
                {
                    case Column.Owner:
                        task = task with { Owner = InlineText.Plain(v).TrimStart('@') };
                        break;
                    case Column.Due when ClockText.TryDate(v, out var due):
                        task = task with { Due = due };
                        break;
                    case Column.Status:
                        var s = FieldRecogniser.Name(v);
                        task = task with { Done = task.Done || s.Contains("done") || s.Contains("complete") || s.Contains("closed") || s.Contains("fixed") || v.Contains('✅') || s is "yes" or "x" or "[x]" };
                        break;
                    case Column.Priority when PriorityText().Match(" " + v) is { Success: true } p:
                        task = task with { Priority = Vocabulary.ParsePriority(p.Groups["p"].Value.Replace("0", "1", StringComparison.Ordinal)) };
                        break;
                    case Column.Priority when Words().IsMatch(v):
                        task = task with { Priority = Vocabulary.ParsePriority(InlineText.Plain(v).Trim().ToLowerInvariant()) };
                        break;
                    default:
                        extra.Add($"{names[i]}: {v}");
                        break;
                }
            }
            draft.AddTask(task);
            count++;
            if (extra.Count > 0)
            {
                // A ticket link or a column we have no field for stays visible, tied to the task's wording.
                draft.AddNote(block.Path, $"{task.Title} — {string.Join("; ", extra)}");
            }
        }
        draft.Place(block.Path, "task", count);
        return true;
    }

    private static string Cell(TableCell cell) => string.Join(' ', cell.OfType<LeafBlock>().Select(InlineText.Of)).Trim();

    [GeneratedRegex(@"^\s*\[(?<x>[ xX])\]\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Checkbox();

    // "(owner: dana)", "Owner: dana", "— owner dana", "[owner: @dana]".
    [GeneratedRegex(@"[\[(]?\s*\b(?:owner|owners|assignee|assigned to|dri)\s*[:=]?\s*@?(?<owner>[\w.\- ]{1,40}?)\s*(?:[\])]|(?=[,;]|\s+(?:by|due)\b|\s+[—–-]\s|$))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OwnerText();

    [GeneratedRegex(@"(?<![\w.])@(?<h>[A-Za-z0-9][\w.-]{0,38}[A-Za-z0-9_])", RegexOptions.CultureInvariant)]
    private static partial Regex Handle();

    // "by 2025-10-01", "(due 2025-10-01)", "due: Oct 1, 2025", "deadline 1 October 2025".
    [GeneratedRegex(@"[\[(]?\s*\b(?:by|due|due by|due date|deadline|target)\s*[:=]?\s*(?<date>\d{4}-\d{2}-\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\s+\d{4})\s*[\])]?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DueText();

    [GeneratedRegex(@"(?:^|\s)[\[(]?(?<p>P[0-4])[\])]?(?=\s|$|[:,.])", RegexOptions.CultureInvariant)]
    private static partial Regex PriorityText();

    [GeneratedRegex(@"^\s*(?:critical|high|medium|low)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Words();

    [GeneratedRegex(@"(?:\s*[\[(](?:done|completed|complete|fixed)[\])]|\s*✅)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DoneText();
}
