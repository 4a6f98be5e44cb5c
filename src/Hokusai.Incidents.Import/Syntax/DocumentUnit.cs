using Markdig.Syntax;

namespace Hokusai.Incidents.Import.Syntax;

/// <summary>
/// The pieces a recogniser is offered, in document order: a heading as it opens, a bold
/// <c>**Key**: value</c> line, or a block with the bold label that introduced it (if any).
/// </summary>
public abstract record DocumentUnit(HeadingPath Path, Block Block)
{
    /// <summary>The unit as written (line endings normalised), for notes and evidence.</summary>
    public required string Source { get; init; }
}

public sealed record HeadingUnit(HeadingPath Path, HeadingBlock Heading) : DocumentUnit(Path, Heading);

public sealed record FieldLine(HeadingPath Path, Block Block, string Key, string Value) : DocumentUnit(Path, Block);

public sealed record BlockUnit(HeadingPath Path, Block Block, string? Label) : DocumentUnit(Path, Block)
{
    /// <summary>True after a <c>---</c> rule in the same section: a sign-off or footer, not the section's prose.</summary>
    public bool AfterRule { get; init; }
}
