using Hokusai.Incidents.Import.Syntax;

namespace Hokusai.Incidents.Import;

/// <summary>
/// One kind of thing the importer understands. Recognisers are asked in pipeline order; the first
/// that claims a unit owns it, and what nobody claims becomes a note.
/// </summary>
public interface IRecogniser
{
    bool TryRecognise(DocumentUnit unit, DocumentDraft draft);
}
