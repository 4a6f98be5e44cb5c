using System.Globalization;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Syntax;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Hypotheses;

/// <summary>
/// A summary table of hypotheses, whatever its column order: columns are found by their header
/// names (#, hypothesis, confidence, complexity, impact, category, status). Columns it does not
/// know are kept as notes, one per cell.
/// </summary>
public sealed partial class HypothesisTableRecogniser : IRecogniser
{
    private enum Column
    {
        Unknown,
        Number,
        Title,
        Confidence,
        Complexity,
        Impact,
        Category,
        Status,
    }

    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        if (unit is not BlockUnit { Block: Table table } block || table.Count < 2 || table[0] is not TableRow { IsHeader: true } header)
        {
            return false;
        }
        var names = header.OfType<TableCell>().Select(c => CellText(c)).ToList();
        var columns = names.Select(Classify).ToList();
        var aboutHypotheses = block.Path.Mentions("hypothes") || names.Any(n => n.Contains("hypothes", StringComparison.OrdinalIgnoreCase));
        if (!aboutHypotheses || !columns.Contains(Column.Title) || !(columns.Contains(Column.Number) || columns.Contains(Column.Confidence)))
        {
            return false;
        }
        var rows = 0;
        foreach (var row in table.OfType<TableRow>().Skip(1))
        {
            var cells = row.OfType<TableCell>().Select(c => CellText(c)).ToList();
            var number = NumberOf(cells, columns) ?? rows + 1;
            var h = draft.Hypothesis(number);
            for (var i = 0; i < cells.Count && i < columns.Count; i++)
            {
                var value = cells[i];
                if (value.Length == 0)
                {
                    continue;
                }
                switch (columns[i])
                {
                    case Column.Title:
                        draft.TableTitles[number] = (value, block.Path);
                        // A section heading, when there is one, names the hypothesis; the table only fills a gap.
                        if (!draft.HasHypothesis(number) || h.Title == $"Hypothesis {number}")
                        {
                            h = h with { Title = value };
                        }
                        break;
                    case Column.Confidence:
                        h = HypothesisSectionRecogniser.WithConfidence(h, value, draft);
                        break;
                    case Column.Complexity:
                        h = h with { Complexity = h.Complexity ?? value };
                        break;
                    case Column.Impact:
                        h = h with { Impact = h.Impact ?? value };
                        break;
                    case Column.Category:
                        h = h with { Category = h.Category ?? value };
                        break;
                    case Column.Status when Enum.TryParse<HypothesisStatus>(InlineText.Plain(value), true, out var status):
                        h = h with { Status = status };
                        break;
                    case Column.Number:
                        break;
                    default:
                        draft.AddNote(block.Path, $"H{number} {names[i]}: {value}");
                        break;
                }
            }
            // Cells beyond the header are not in any column; keep them rather than lose them.
            foreach (var extra in cells.Skip(columns.Count).Where(c => c.Length > 0))
            {
                draft.AddNote(block.Path, $"H{number}: {extra}");
            }
            draft.SetHypothesis(h);
            rows++;
        }
        draft.Place(block.Path, "hypothesis-table", rows);
        return true;
    }

    private static string CellText(TableCell cell) =>
        string.Join(' ', cell.OfType<LeafBlock>().Select(InlineText.Of)).Replace('\n', ' ').Trim();

    private static Column Classify(string header)
    {
        var h = InlineText.Plain(header).ToLowerInvariant();
        return h switch
        {
            "#" or "no" or "no." or "nr" or "number" or "id" or "h#" or "ref" => Column.Number,
            _ when h.Contains("confidence") || h.Contains("likelihood") || h.Contains("probability") => Column.Confidence,
            _ when h.Contains("complexity") || h.Contains("effort") => Column.Complexity,
            _ when h.Contains("impact") => Column.Impact,
            _ when h.Contains("category") || h == "area" => Column.Category,
            _ when h == "status" => Column.Status,
            _ when h.Contains("hypothes") || h == "title" || h == "name" || h == "suspect" => Column.Title,
            _ => Column.Unknown,
        };
    }

    private static int? NumberOf(List<string> cells, List<Column> columns)
    {
        var i = columns.IndexOf(Column.Number);
        if (i < 0 || i >= cells.Count)
        {
            return null;
        }
        var m = Digits().Match(cells[i]);
        return m.Success && int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 10_000 ? n : null;
    }

    [GeneratedRegex(@"\d{1,4}", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
