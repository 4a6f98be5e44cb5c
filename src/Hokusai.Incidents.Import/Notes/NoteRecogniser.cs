using Hokusai.Incidents.Import.Syntax;

namespace Hokusai.Incidents.Import.Notes;

/// <summary>The last recogniser: whatever nobody else claimed is kept word for word with its heading path.</summary>
public sealed class NoteRecogniser : IRecogniser
{
    public bool TryRecognise(DocumentUnit unit, DocumentDraft draft)
    {
        if (unit is HeadingUnit)
        {
            // Headings are kept as the path of what is below them.
            return true;
        }
        draft.AddNote(unit.Path, unit.Source);
        return true;
    }
}
