namespace Hokusai.Incidents.Import.Syntax;

public sealed record Heading(int Level, string Text);

/// <summary>The headings above a block, outermost first (the document title is kept apart).</summary>
public sealed record HeadingPath(IReadOnlyList<Heading> Headings)
{
    public static HeadingPath Root { get; } = new([]);

    public Heading? Last => Headings.Count == 0 ? null : Headings[^1];

    /// <summary>A heading closes every open heading of the same or a deeper level.</summary>
    public HeadingPath Push(Heading heading) => new([.. Headings.Where(h => h.Level < heading.Level), heading]);

    public bool Mentions(params string[] words) =>
        Headings.Any(h => words.Any(w => h.Text.Contains(w, StringComparison.OrdinalIgnoreCase)));

    public bool LastMentions(params string[] words) =>
        Last is { } last && words.Any(w => last.Text.Contains(w, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => string.Join(" > ", Headings.Select(h => h.Text));
}
