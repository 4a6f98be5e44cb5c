using System.Globalization;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Syntax;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Hypotheses;

/// <summary>
/// A "### Hypothesis 3: …" section and everything under it: bold fields (confidence, category…),
/// sub-sections or labels (description, supporting evidence, why it causes the bug, test method,
/// commands, quick fix test). Parts it cannot place fall through to the other recognisers.
/// </summary>
public sealed partial class HypothesisSectionRecogniser : IRecogniser
{
    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        var (index, number, title) = Owner(unit.Path);
        if (index < 0)
        {
            return false;
        }
        var h = draft.Hypothesis(number, title);
        if (unit is HeadingUnit)
        {
            if (index == unit.Path.Headings.Count - 1)
            {
                if (!string.IsNullOrWhiteSpace(title))
                {
                    h = h with { Title = title };
                }
                draft.SetHypothesis(h);
                draft.Place(unit.Path, "hypothesis");
            }
            return true;
        }
        var sub = index + 1 < unit.Path.Headings.Count ? unit.Path.Headings[index + 1].Text : null;
        var changed = unit switch
        {
            FieldLine field => Field(h, field.Key, field.Value, draft),
            BlockUnit block => Block(h, block.Label ?? sub, block.Block, draft),
            _ => null,
        };
        if (changed is null)
        {
            return false;
        }
        draft.SetHypothesis(changed);
        draft.Place(unit.Path, $"hypothesis:H{number}");
        return true;
    }

    /// <summary>The nearest heading naming a hypothesis, with its number and title.</summary>
    private static (int Index, int Number, string? Title) Owner(HeadingPath path)
    {
        for (var i = path.Headings.Count - 1; i >= 0; i--)
        {
            var m = HypothesisHeading().Match(path.Headings[i].Text.Trim('*', '_', ' '));
            if (m.Success && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 10_000)
            {
                var title = m.Groups["title"].Value.Trim();
                return (i, n, title.Length == 0 ? null : title);
            }
        }
        return (-1, 0, null);
    }

    private static Hypothesis? Field(Hypothesis h, string key, string value, DocumentDraft draft)
    {
        var k = key.ToLowerInvariant();
        if (k.Contains("confidence") || k.Contains("likelihood"))
        {
            return WithConfidence(h, value, draft);
        }
        if (k.StartsWith("expected if true", StringComparison.Ordinal))
        {
            return h with { TestMethod = h.TestMethod with { ExpectedIfTrue = value } };
        }
        if (k.StartsWith("expected if false", StringComparison.Ordinal))
        {
            return h with { TestMethod = h.TestMethod with { ExpectedIfFalse = value } };
        }
        if (k == "status" && Enum.TryParse<HypothesisStatus>(InlineText.Plain(value).Split(' ')[0], true, out var status))
        {
            return h with { Status = status };
        }
        return Text(h, k, value);
    }

    private static Hypothesis? Text(Hypothesis h, string slot, string text) => slot switch
    {
        _ when slot.Contains("category") => h with { Category = text },
        _ when slot.Contains("complexity") => h with { Complexity = text },
        _ when slot.Contains("impact") => h with { Impact = text },
        _ when slot.Contains("description") || slot == "summary" => h with { Description = DocumentDraft.Append(h.Description, text) },
        _ when slot.Contains("why") => h with { WhyItCausesTheBug = DocumentDraft.Append(h.WhyItCausesTheBug, text) },
        _ when slot.Contains("quick fix") => h with { QuickFixTest = DocumentDraft.Append(h.QuickFixTest, text) },
        _ when slot.Contains("outcome") || slot == "result" => h with { Outcome = DocumentDraft.Append(h.Outcome, text) },
        _ when slot.Contains("against") || slot.Contains("contradict") => h with { EvidenceAgainst = [.. h.EvidenceAgainst, text] },
        _ when slot.Contains("evidence") || slot.Contains("supporting") => h with { SupportingEvidence = [.. h.SupportingEvidence, text] },
        _ when slot.Contains("test") || slot.Contains("verif") => TestStep(h, text),
        _ => null,
    };

    private static Hypothesis? Block(Hypothesis h, string? slotName, Block block, DocumentDraft draft)
    {
        var slot = slotName is null ? "" : InlineText.Plain(slotName).ToLowerInvariant();
        switch (block)
        {
            case FencedCodeBlock or CodeBlock:
                var code = (CodeBlock)block;
                var language = (code as FencedCodeBlock)?.Info;
                return h with { Commands = [.. h.Commands, new CodeSnippet { Language = string.IsNullOrWhiteSpace(language) ? null : language, Code = code.Lines.ToString().ReplaceLineEndings("\n").TrimEnd('\n') }] };
            case ParagraphBlock title when slot.Length == 0 && InlineText.Of(title) is var bold && InlineText.Unwrap(bold) != bold && !bold.Contains('\n'):
                // "### H1" followed by a bold line: the line is the hypothesis' title.
                var name = InlineText.Unwrap(bold);
                return h.Title == $"Hypothesis {h.Number}" || Same(h.Title, name) ? h with { Title = name } : null;
            case ListBlock fields when slot.Length == 0 && FieldItems(fields) is { } pairs:
                var withFields = h;
                foreach (var (key, value) in pairs)
                {
                    if (Field(withFields, key, value, draft) is not { } next)
                    {
                        return null;
                    }
                    withFields = next;
                }
                return withFields;
            case ListBlock history when slot.Contains("history"):
                return WithHistory(h, history);
            case ParagraphBlock paragraph when slot.Length > 0:
                var text = InlineText.Of(paragraph).ReplaceLineEndings(" ").Replace("\n", " ", StringComparison.Ordinal);
                return Text(h, slot, text);
            case ListBlock list when slot.Length > 0:
                var result = h;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    if (item.Count != 1 || item[0] is not ParagraphBlock p)
                    {
                        return null;
                    }
                    var itemText = InlineText.Of(p).Replace('\n', ' ');
                    if (Placeholder().IsMatch(itemText))
                    {
                        // "None yet." says the list is empty; it is not a piece of evidence.
                        continue;
                    }
                    var next = Text(result, slot, itemText);
                    if (next is null)
                    {
                        return null;
                    }
                    result = next;
                }
                return result;
            default:
                return null;
        }
    }

    /// <summary>"- 2025-08-20T13:44:17Z: Open → Refuted: why" lines, as the hypotheses document writes a status history.</summary>
    private static Hypothesis? WithHistory(Hypothesis h, ListBlock list)
    {
        var changes = new List<StatusChange>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            if (item.Count != 1 || item[0] is not ParagraphBlock p)
            {
                return null;
            }
            var m = StatusLine().Match(InlineText.Of(p).Replace('\n', ' '));
            if (!m.Success
                || !DateTimeOffset.TryParse(m.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                || !Enum.TryParse<HypothesisStatus>(m.Groups["from"].Value, true, out var from)
                || !Enum.TryParse<HypothesisStatus>(m.Groups["to"].Value, true, out var to))
            {
                return null;
            }
            var note = m.Groups["note"].Success ? m.Groups["note"].Value.Trim() : null;
            changes.Add(new StatusChange { At = at, From = from, To = to, Note = string.IsNullOrEmpty(note) ? null : note });
        }
        return changes.Count == 0 ? null : h with { History = [.. h.History, .. changes] };
    }

    private static List<(string Key, string Value)>? FieldItems(ListBlock list)
    {
        var pairs = new List<(string, string)>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            if (item.Count != 1 || item[0] is not ParagraphBlock p || !DocumentWalker.TryField(InlineText.Of(p).Replace('\n', ' '), out var key, out var value))
            {
                return null;
            }
            pairs.Add((key, value));
        }
        return pairs.Count == 0 ? null : pairs;
    }

    private static bool Same(string a, string b) => string.Equals(InlineText.Plain(a), InlineText.Plain(b), StringComparison.OrdinalIgnoreCase);

    private static Hypothesis TestStep(Hypothesis h, string text)
    {
        var m = Expected().Match(text);
        if (m.Success)
        {
            var value = m.Groups["v"].Value.Trim();
            var method = m.Groups["which"].Value.Equals("true", StringComparison.OrdinalIgnoreCase)
                ? h.TestMethod with { ExpectedIfTrue = value }
                : h.TestMethod with { ExpectedIfFalse = value };
            return h with { TestMethod = method };
        }
        return h with { TestMethod = h.TestMethod with { Steps = [.. h.TestMethod.Steps, text] } };
    }

    /// <summary>"High (85%)" gives 85; a bare "High" gives the level's usual figure unless a percentage was already seen.</summary>
    public static Hypothesis WithConfidence(Hypothesis h, string value, DocumentDraft draft)
    {
        if (ParseConfidence(value) is not { } parsed)
        {
            return h;
        }
        if (parsed.Explicit)
        {
            draft.ExplicitConfidence.Add(h.Number);
            return h with { Confidence = parsed.Percent };
        }
        return draft.ExplicitConfidence.Contains(h.Number) ? h : h with { Confidence = parsed.Percent };
    }

    public static (int Percent, bool Explicit)? ParseConfidence(string value)
    {
        var plain = InlineText.Plain(value);
        var m = Percent().Match(plain);
        if (m.Success && int.TryParse(m.Groups["p"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
        {
            return (Math.Clamp(p, 0, 100), true);
        }
        var w = Level().Match(plain);
        if (w.Success)
        {
            return (Confidences.PercentOf(Enum.Parse<ConfidenceLevel>(w.Groups["w"].Value, true)), false);
        }
        return null;
    }

    [GeneratedRegex(@"^(?:hypothesis|H)\s*#?\s*(?<n>\d{1,4})\b\s*(?:[:.)\-–—]\s*(?<title>.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HypothesisHeading();

    [GeneratedRegex(@"^\**expected\s+(?:if|when)\s+(?<which>true|false)\**\s*:?\**\s*(?<v>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Expected();

    [GeneratedRegex(@"^\s*(?:none(?: yet)?|n/?a|tbd|-)\.?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?<p>\d{1,3})\s*%", RegexOptions.CultureInvariant)]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b(?<w>high|medium|low)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Level();

    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\dT[0-9:.]+Z?)\s*:\s*(?<from>[A-Za-z]+)\s*(?:→|->)\s*(?<to>[A-Za-z]+)(?:\s*:\s*(?<note>.*))?$")]
    private static partial Regex StatusLine();
}
