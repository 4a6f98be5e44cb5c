using Hokusai.Incidents.Import.Evidence;
using Hokusai.Incidents.Import.Fields;
using Hokusai.Incidents.Import.Hypotheses;
using Hokusai.Incidents.Import.Notes;
using Hokusai.Incidents.Import.Syntax;
using Hokusai.Incidents.Import.Tasks;
using Hokusai.Incidents.Import.Timeline;
using Markdig;

namespace Hokusai.Incidents.Import;

/// <summary>
/// The Markdig pipeline (pipe tables, task lists) and the recognisers in the order they are asked:
/// specific shapes first, the note keeper last, so nothing falls through unrecorded.
/// </summary>
public sealed class ImportPipeline
{
    public ImportPipeline(IReadOnlyList<IRecogniser> recognisers)
    {
        Recognisers = recognisers;
    }

    public static ImportPipeline Default { get; } = new(
    [
        new TimelineRecogniser(),
        new HypothesisSectionRecogniser(),
        new HypothesisTableRecogniser(),
        new TaskListRecogniser(),
        new ActionItemRecogniser(),
        new FieldRecogniser(),
        new EvidenceRecogniser(),
        new NoteRecogniser(),
    ]);

    public MarkdownPipeline Markdown { get; } = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().UseTaskLists().Build();

    public IReadOnlyList<IRecogniser> Recognisers { get; }

    public void Run(DocumentUnit unit, DocumentDraft draft)
    {
        foreach (var recogniser in Recognisers)
        {
            if (recogniser.TryRecognise(unit, draft))
            {
                return;
            }
        }
        if (unit is not HeadingUnit)
        {
            draft.AddNote(unit.Path, unit.Source);
        }
    }
}
