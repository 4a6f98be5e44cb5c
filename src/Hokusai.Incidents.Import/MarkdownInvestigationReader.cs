using System.Text;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Import.Fields;
using Hokusai.Incidents.Import.Syntax;
using Hokusai.Incidents.Redaction;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace Hokusai.Incidents.Import;

/// <summary>
/// Reads one Markdown investigation document into an <see cref="ImportedDocument"/>. Pure: no I/O,
/// no store, no clock. Input that is not Markdown text is an <see cref="InvalidInputException"/>
/// naming the file.
/// </summary>
public static partial class MarkdownInvestigationReader
{
    /// <summary>Investigation notes are small; anything bigger is almost certainly the wrong file.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>Blocks nested deeper than this (lists in quotes in lists…) are refused rather than walked.</summary>
    public const int MaxNesting = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks that the bytes are UTF-8 text of a sensible size, then reads them.</summary>
    public static ImportedDocument Read(ReadOnlySpan<byte> bytes, string fileName, ImportPipeline? pipeline = null, Redactor? redactor = null) =>
        Read(Decode(bytes, fileName), fileName, pipeline, redactor);

    public static string Decode(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new InvalidInputException($"{fileName}: too large to be an investigation document ({bytes.Length / (1024 * 1024)} MiB; the limit is {MaxBytes / (1024 * 1024)} MiB)");
        }
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw new InvalidInputException($"{fileName}: not a text file (contains NUL bytes)");
        }
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidInputException($"{fileName}: not UTF-8 text");
        }
    }

    /// <summary>
    /// Reads a document. The raw text is redacted (with <paramref name="redactor"/>, else the built-in
    /// patterns) before Markdig sees it: heading clean-up, slugging and whitespace folding come later
    /// and could otherwise change a secret's shape so that no pattern recognises it any more.
    /// </summary>
    public static ImportedDocument Read(string text, string fileName, ImportPipeline? pipeline = null, Redactor? redactor = null)
    {
        text = (redactor ?? Redactor.Default).Redact(text);
        pipeline ??= ImportPipeline.Default;
        Check(text, fileName);
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(text, pipeline.Markdown);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // Markdig refuses some hostile shapes (too deep nesting) with an exception of its own.
            throw new InvalidInputException($"{fileName}: cannot be read as Markdown: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        CheckNesting(document, fileName);
        var draft = new DocumentDraft(fileName, text);
        string? frontTitle = null;
        if (document.Count > 0 && document[0] is YamlFrontMatterBlock front)
        {
            frontTitle = FrontMatter.Apply(front, DocumentWalker.Slice(text, front), draft);
            document.RemoveAt(0);
        }
        var (heading, units) = DocumentWalker.Walk(document, text);
        draft.TitleHeading = heading;
        foreach (var unit in units)
        {
            pipeline.Run(unit, draft);
        }
        var title = frontTitle ?? (heading is null ? null : TitleOf(heading));
        var result = draft.Build(title);
        if (result.IsEmpty)
        {
            draft.Warn("no tasks, hypotheses, fields, evidence or notes found");
            result = draft.Build(title);
        }
        else if (result.Placements.All(p => p.Target == "note"))
        {
            draft.Warn("nothing recognised; the whole document is kept as notes");
            result = draft.Build(title);
        }
        return result;
    }

    private static void Check(string text, string fileName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidInputException($"{fileName}: empty document");
        }
        if (text.Length > MaxBytes)
        {
            throw new InvalidInputException($"{fileName}: too large to be an investigation document (limit {MaxBytes / (1024 * 1024)} MiB)");
        }
        if (text.Contains('\0'))
        {
            throw new InvalidInputException($"{fileName}: not a text file (contains NUL characters)");
        }
        CheckLinePrefixes(text, fileName);
        // Control characters other than tab, CR, LF and form feed mean a binary file that happened to decode.
        var control = text.Count(c => c < ' ' && c is not '\t' and not '\r' and not '\n' and not '\f');
        if (control > 8 && control * 100 > text.Length)
        {
            throw new InvalidInputException($"{fileName}: not Markdown text ({control} control characters)");
        }
    }

    /// <summary>
    /// Markdig's time grows faster than linearly with nesting, so absurd depth is refused from the
    /// line prefixes alone, before parsing: indentation or stacked quote and bullet markers.
    /// </summary>
    private static void CheckLinePrefixes(string text, string fileName)
    {
        var line = 1;
        var columns = 0;
        var markers = 0;
        var inPrefix = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                columns = markers = 0;
                inPrefix = true;
                continue;
            }
            if (!inPrefix)
            {
                continue;
            }
            switch (c)
            {
                case ' ':
                    columns++;
                    break;
                case '\t':
                    columns += 4;
                    break;
                case '>':
                    markers++;
                    columns++;
                    break;
                case '-' or '*' or '+' when i + 1 < text.Length && text[i + 1] is ' ' or '\t':
                    markers++;
                    columns++;
                    break;
                default:
                    inPrefix = false;
                    break;
            }
            if (markers > MaxNesting || columns > MaxNesting * 4)
            {
                throw new InvalidInputException($"{fileName}: blocks nested deeper than {MaxNesting} levels (line {line})");
            }
        }
    }

    private static void CheckNesting(MarkdownDocument document, string fileName)
    {
        // Iterative, so a hostile document cannot exhaust the stack here.
        var stack = new Stack<(ContainerBlock Block, int Depth)>();
        stack.Push((document, 0));
        while (stack.Count > 0)
        {
            var (block, depth) = stack.Pop();
            if (depth > MaxNesting)
            {
                throw new InvalidInputException($"{fileName}: blocks nested deeper than {MaxNesting} levels (line {block.Line + 1})");
            }
            foreach (var child in block)
            {
                if (child is ContainerBlock container)
                {
                    stack.Push((container, depth + 1));
                }
            }
        }
    }

    /// <summary>
    /// "Fix Tasks: Model Registration Failure" names the incident "Model Registration Failure", and so
    /// do "Action items - …" and "Postmortem — …" when the words before the dash say what kind of document it is.
    /// </summary>
    private static string TitleOf(string heading)
    {
        var plain = InlineText.Plain(heading);
        var m = DocumentKindPrefix().Match(plain);
        if (m.Success && m.Groups["rest"].Value.Trim().Length > 0)
        {
            return m.Groups["rest"].Value.Trim();
        }
        var dash = KindDashPrefix().Match(plain);
        return dash.Success && dash.Groups["rest"].Value.Trim().Length > 0 ? dash.Groups["rest"].Value.Trim() : plain;
    }

    [GeneratedRegex(@"^(?:postmortem|post-mortem|incident report|incident review|action items|follow-ups|follow ups|timeline|root cause analysis|rca|status update|retrospective|retro|summary)\s+(?:-|–|—|for|of)\s+(?<rest>.+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KindDashPrefix();

    [GeneratedRegex(@"^(?:[A-Za-z ]{2,40}):\s+(?<rest>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentKindPrefix();
}
