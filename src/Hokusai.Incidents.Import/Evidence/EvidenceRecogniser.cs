using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Syntax;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Evidence;

/// <summary>
/// Code blocks and lists under evidence or log headings become evidence (code keeps its language);
/// endpoint result lines anywhere become endpoint-check evidence.
/// </summary>
public sealed partial class EvidenceRecogniser : IRecogniser
{
    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        if (unit is not BlockUnit block)
        {
            return false;
        }
        var heading = block.Label ?? block.Path.Last?.Text;
        var underEvidence = IsEvidenceHeading(block.Label) || block.Path.Headings.Any(h => IsEvidenceHeading(h.Text));
        switch (block.Block)
        {
            case CodeBlock code when underEvidence:
                var language = (code as FencedCodeBlock)?.Info;
                var content = code.Lines.ToString().ReplaceLineEndings("\n").TrimEnd('\n');
                draft.AddEvidence(new Incidents.Evidence
                {
                    IncidentId = "",
                    Kind = KindFor(heading),
                    Source = draft.FileName,
                    // A pasted log line says when it happened; without this the timeline cannot place it.
                    Time = LogLineTime.FirstIn(content),
                    Title = heading,
                    Content = content,
                    Language = string.IsNullOrWhiteSpace(language) ? null : language.Trim(),
                });
                draft.Place(block.Path, "evidence");
                return true;
            case ListBlock list:
                return Endpoints(list, block, underEvidence, heading, draft);
            case ParagraphBlock when underEvidence:
                AddNoteEvidence(block.Source, block, heading, draft);
                return true;
            default:
                return false;
        }
    }

    private static bool Endpoints(ListBlock list, BlockUnit block, bool underEvidence, string? heading, DocumentDraft draft)
    {
        var host = HostIn(block.Path);
        var found = 0;
        var rest = new List<string>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var text = item.Count == 1 && item[0] is ParagraphBlock p ? InlineText.Of(p).Replace('\n', ' ') : null;
            if (text is not null && EndpointLine.TryParse(text, host) is { } line)
            {
                draft.AddEvidence(new Incidents.Evidence
                {
                    IncidentId = "",
                    Kind = EvidenceKind.EndpointCheck,
                    Source = draft.FileName,
                    Title = line.Url,
                    Content = text,
                    Attributes = line.Attributes(),
                });
                found++;
            }
            else
            {
                rest.Add(DocumentWalker.Slice(draft.SourceText, item));
            }
        }
        if (found == 0 && !underEvidence)
        {
            return false;
        }
        if (found > 0)
        {
            draft.Place(block.Path, "evidence:endpoint-check", found);
        }
        if (rest.Count > 0)
        {
            var text = string.Join('\n', rest);
            if (underEvidence)
            {
                AddNoteEvidence(text, block, heading, draft);
            }
            else
            {
                draft.AddNote(block.Path, text);
            }
        }
        return true;
    }

    private static void AddNoteEvidence(string text, BlockUnit block, string? heading, DocumentDraft draft)
    {
        draft.AddEvidence(new Incidents.Evidence
        {
            IncidentId = "",
            Kind = EvidenceKind.Note,
            Source = draft.FileName,
            Title = heading,
            Content = text,
        });
        draft.Place(block.Path, "evidence");
    }

    public static bool IsEvidenceHeading(string? text) => text is not null && EvidenceWords().IsMatch(InlineText.Plain(text));

    private static EvidenceKind KindFor(string? heading)
    {
        var h = heading?.ToLowerInvariant() ?? "";
        return h.Contains("ecs event") ? EvidenceKind.EcsEvent
            : h.Contains("command") ? EvidenceKind.CommandOutput
            : EvidenceKind.LogExcerpt;
    }

    /// <summary>"Registry Endpoints (registry.hokus.ai)": the host relative paths below it belong to.</summary>
    private static string? HostIn(HeadingPath path)
    {
        for (var i = path.Headings.Count - 1; i >= 0; i--)
        {
            var m = Host().Match(path.Headings[i].Text);
            if (m.Success)
            {
                return m.Groups["host"].Value;
            }
        }
        return null;
    }

    [GeneratedRegex(@"\b(?:evidence|logs?|output|traces?|stack\s*trace|events?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EvidenceWords();

    [GeneratedRegex(@"\((?<host>[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.[a-z]{2,})\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Host();
}
