using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Syntax;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Tasks;

/// <summary>
/// Check-box lists (any bullet, numbered too, any depth) become fix tasks grouped by the headings
/// above them; under "Rollback Plan" or "Success Criteria" they become the incident's checklists,
/// and numbered notes under a dependencies/sequence heading become the task sequence.
/// </summary>
public sealed partial class TaskListRecogniser : IRecogniser
{
    /// <summary>Deeper nesting than this is not a plan any more; the reader refuses it rather than recurse on.</summary>
    public const int MaxDepth = 32;

    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        if (unit is not BlockUnit { Block: ListBlock list } block)
        {
            return false;
        }
        var purpose = (block.Label is { } label ? Classify(label, block.Path) : null) ?? Classify(block.Path.Last?.Text, block.Path);
        switch (purpose)
        {
            case Purpose.Rollback or Purpose.Success:
                ReadChecklist(list, block.Path, purpose.Value, draft);
                return true;
            case Purpose.Sequence:
                // "T5 comes after T1" lines restate the tasks' own dependencies (written by the renderer); they are not sequence notes.
                var steps = list.OfType<ListItemBlock>().Select(ItemText).Where(t => t.Length > 0 && !DerivedDependency().IsMatch(t)).ToList();
                draft.Change(i => i with { TaskSequence = [.. i.TaskSequence, .. steps] });
                draft.Place(block.Path, "task-sequence", steps.Count);
                NestedRemainder(list, block.Path, draft, skipFirstParagraph: true);
                return true;
        }
        if (!HasTask(list))
        {
            return false;
        }
        var (priority, group, section) = Grouping(block.Path);
        var count = ReadTasks(list, null, 0, block.Path, draft, new FixTask { Number = 0, Title = "", Priority = priority, Group = group, Section = section });
        draft.Place(block.Path, "task", count);
        return true;
    }

    private enum Purpose
    {
        Rollback,
        Success,
        Sequence,
    }

    private static Purpose? Classify(string? name, HeadingPath path)
    {
        if (name is null)
        {
            return null;
        }
        var n = InlineText.Plain(name).ToLowerInvariant();
        if (n.Contains("rollback") || n.Contains("roll back") || n.Contains("back-out plan"))
        {
            return Purpose.Rollback;
        }
        // Success criteria of an investigation are its goals, which the field recogniser keeps.
        if ((n.Contains("success criteria") || n.Contains("acceptance criteria") || n.Contains("definition of done"))
            && !path.Mentions("investigation"))
        {
            return Purpose.Success;
        }
        if (n.Contains("dependencies") || n.Contains("sequence") || n.Contains("order of work"))
        {
            return Purpose.Sequence;
        }
        return null;
    }

    private static void ReadChecklist(ListBlock list, HeadingPath path, Purpose purpose, DocumentDraft draft)
    {
        var items = new List<ChecklistItem>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var (isTask, done, text) = Item(item);
            if (text.Length > 0)
            {
                items.Add(new ChecklistItem { Text = SplitKey(text).Title, Done = isTask && done });
            }
            foreach (var child in item.Skip(1))
            {
                draft.AddNote(path, DocumentWalker.Slice(draft.SourceText, child));
            }
        }
        if (purpose == Purpose.Rollback)
        {
            draft.Change(i => i with { RollbackPlan = [.. i.RollbackPlan, .. items] });
            draft.Place(path, "rollback-plan", items.Count);
        }
        else
        {
            draft.Change(i => i with { SuccessCriteria = [.. i.SuccessCriteria, .. items] });
            draft.Place(path, "success-criteria", items.Count);
        }
    }

    private static int ReadTasks(ListBlock list, int? parent, int depth, HeadingPath path, DocumentDraft draft, FixTask template)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidInputException($"{draft.FileName}: task list nested deeper than {MaxDepth} levels under '{path}'");
        }
        var count = 0;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var (isTask, done, text) = Item(item);
            if (!isTask)
            {
                // A plain bullet inside a plan is commentary, kept word for word.
                draft.AddNote(path, DocumentWalker.Slice(draft.SourceText, item));
                continue;
            }
            var (key, title) = SplitKey(text);
            var notes = Annotations.Read(title);
            var number = draft.AddTask(template with
            {
                Title = notes.Title,
                Done = done,
                Parent = parent,
                Owner = notes.Owner,
                Due = notes.Due,
                DoneAt = done ? notes.DoneAt : null,
            });
            draft.RememberTaskKey(number, key, notes.After);
            count++;
            foreach (var child in item.Skip(1))
            {
                if (child is ListBlock nested && HasTask(nested))
                {
                    count += ReadTasks(nested, number, depth + 1, path, draft, template);
                }
                else
                {
                    draft.AddNote(path, DocumentWalker.Slice(draft.SourceText, child));
                }
            }
        }
        return count;
    }

    private static void NestedRemainder(ListBlock list, HeadingPath path, DocumentDraft draft, bool skipFirstParagraph)
    {
        foreach (var item in list.OfType<ListItemBlock>())
        {
            foreach (var child in item.Skip(skipFirstParagraph ? 1 : 0))
            {
                draft.AddNote(path, DocumentWalker.Slice(draft.SourceText, child));
            }
        }
    }

    public static bool HasTask(ListBlock list) => list.OfType<ListItemBlock>().Any(i => Item(i).IsTask);

    /// <summary>The check box (Markdig's task-list inline, or a literal "[ ]" where Markdig does not make one) and the text after it.</summary>
    public static (bool IsTask, bool Done, string Text) Item(ListItemBlock item)
    {
        if (item.Count == 0 || item[0] is not ParagraphBlock paragraph)
        {
            return (false, false, "");
        }
        if (paragraph.Inline?.FirstChild is TaskList box)
        {
            return (true, box.Checked, OneLine(InlineText.Of(paragraph)));
        }
        var text = OneLine(InlineText.Of(paragraph));
        var m = LiteralBox().Match(text);
        return m.Success
            ? (true, m.Groups["mark"].Value != " ", m.Groups["text"].Value.Trim())
            : (false, false, text);
    }

    private static string ItemText(ListItemBlock item) => Item(item).Text;

    /// <summary>
    /// A rendered plan prefixes each task with its key ("T12: …"). The key is the store's to give,
    /// not part of the title, but "(after T12)" notes in the same document refer to it.
    /// </summary>
    public static (int? Key, string Title) SplitKey(string title)
    {
        var m = TaskKeyPrefix().Match(title);
        return m.Success && m.Length < title.Length
            ? (int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), title[m.Length..])
            : (null, title);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Priority from the nearest heading that names one ("Priority 1: CRITICAL - Immediate Fix",
    /// "P2 — High", "Critical: …"); the group is that heading's remaining words and the section the
    /// heading right below it.
    /// </summary>
    public static (Priority? Priority, string? Group, string? Section) Grouping(HeadingPath path)
    {
        var headings = path.Headings;
        for (var i = headings.Count - 1; i >= 0; i--)
        {
            if (PriorityOf(headings[i].Text) is { } priority)
            {
                var group = GroupName(headings[i].Text);
                var section = i + 1 < headings.Count ? headings[^1].Text : null;
                return (priority, group, section);
            }
        }
        return headings.Count switch
        {
            // No heading names a priority: the tasks get none rather than an invented P2.
            0 => (null, null, null),
            1 => (null, headings[0].Text, null),
            _ => (null, headings[^2].Text, headings[^1].Text),
        };
    }

    public static Priority? PriorityOf(string heading)
    {
        var plain = InlineText.Plain(heading);
        var m = PriorityNumber().Match(plain);
        if (m.Success)
        {
            var n = int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            return n <= 1 ? Priority.P1 : (Priority)Math.Min(n, 4);
        }
        m = PriorityWord().Match(plain);
        return m.Success ? Vocabulary.ParsePriority(m.Groups["w"].Value) : null;
    }

    private static string? GroupName(string heading)
    {
        var rest = PriorityPrefix().Replace(InlineText.Plain(heading), "");
        rest = PriorityInParentheses().Replace(rest, "").Trim(' ', '-', '–', '—', ':');
        return rest.Length == 0 ? null : rest;
    }

    [GeneratedRegex(@"^T\d{1,5} comes after T\d{1,5}(?:, T\d{1,5})*$", RegexOptions.CultureInvariant)]
    private static partial Regex DerivedDependency();

    [GeneratedRegex(@"^T(?<n>\d{1,5}):\s+", RegexOptions.CultureInvariant)]
    private static partial Regex TaskKeyPrefix();

    [GeneratedRegex(@"^\[(?<mark>[ xX])\]\s+(?<text>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LiteralBox();

    [GeneratedRegex(@"\b(?:priority\s*#?\s*(?<n>[0-4])|P(?<n>[0-4]))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriorityNumber();

    [GeneratedRegex(@"^(?<w>critical|high|medium|low)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriorityWord();

    [GeneratedRegex(@"^\s*(?:(?:priority\s*#?\s*[0-4]|P[0-4])\b\s*[:\-–—]?\s*)?(?:(?:critical|high|medium|low)\b\s*[:\-–—]?\s*)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriorityPrefix();

    [GeneratedRegex(@"\((?:priority\s*[0-4]|P[0-4])\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PriorityInParentheses();
}
