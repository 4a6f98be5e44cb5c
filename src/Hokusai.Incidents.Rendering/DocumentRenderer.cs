using System.Runtime.ExceptionServices;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Hokusai.Incidents.Rendering;

/// <summary>A template that cannot be parsed or fails while rendering; the message starts with file:line:column.</summary>
public sealed class TemplateException(string message, Exception? inner = null)
    : InvalidInputException(message, inner ?? new InvalidOperationException(message))
{
    /// <summary>Builds the one-line message from a Scriban source span (0-based line and column).</summary>
    public static TemplateException At(string path, SourceSpan span, string what, Exception? inner = null)
    {
        var file = string.IsNullOrEmpty(span.FileName) ? path : span.FileName;
        return new TemplateException($"{file}:{span.Start.Line + 1}:{span.Start.Column + 1}: {what.ReplaceLineEndings(" ")}", inner);
    }
}

/// <summary>One rendered document.</summary>
public sealed record RenderedDocument(string Name, string Markdown)
{
    public string FileName => Name + ".md";
}

/// <summary>
/// Renders incident documents from Scriban templates. Strict: an unknown variable, member or function
/// is an error naming the template position, never silently empty text. Pure: the output depends only
/// on the template and the input, so the same incident gives the same bytes.
/// </summary>
public sealed class DocumentRenderer(TemplateSet templates, RenderLimits? limits = null)
{
    /// <summary>Template files larger than this are refused unread.</summary>
    public const int MaxTemplateBytes = 1024 * 1024;

    private readonly Dictionary<string, Template> _parsed = new(StringComparer.Ordinal);

    public TemplateSet Templates { get; } = templates;

    public RenderLimits Limits { get; } = limits ?? RenderLimits.Default;

    /// <summary>Renders the named documents; all of them, or an exception and nothing.</summary>
    public IReadOnlyList<RenderedDocument> RenderAll(IEnumerable<string> names, RenderInput input, CancellationToken cancellation = default) =>
        RenderAll(Prepare(names), input, cancellation);

    /// <summary>
    /// Starts reading and parsing the named templates on another core, for <see cref="RenderAll(PreparedDocuments, RenderInput, CancellationToken)"/>:
    /// a caller that still has the incident to load starts this first.
    /// </summary>
    public PreparedDocuments Prepare(IEnumerable<string> names)
    {
        var wanted = names.ToList();
        // Reading and parsing the templates does not depend on the incident, and in a fresh process it is a
        // good part of a render: it runs on another core while the incident is read and the model built. A
        // failure is kept and thrown in document order, so the error is the one rendering one document after
        // another gives. Each document gets functions of its own (a template may change their settings,
        // date.format say), which takes a few milliseconds a document: they are made there too.
        return new PreparedDocuments(wanted, Task.Run(() => (wanted.Select(ReadTemplate).ToList(), wanted.Select(_ => DocumentFunctions.Create()).ToList())));
    }

    /// <summary>Renders documents <see cref="Prepare"/> started on; all of them, or an exception and nothing.</summary>
    public IReadOnlyList<RenderedDocument> RenderAll(PreparedDocuments prepared, RenderInput input, CancellationToken cancellation = default)
    {
        var wanted = prepared.Names;
        var templates = prepared.Templates;
        var model = RenderModel.Build(input);
        var (read, functions) = templates.GetAwaiter().GetResult();
        var documents = new List<RenderedDocument>(wanted.Count);
        for (var i = 0; i < wanted.Count; i++)
        {
            var (file, template, failure) = read[i];
            failure?.Throw();
            _parsed[file!.Name] = template!;
            documents.Add(Render(wanted[i], file, template!, model, functions[i], cancellation));
        }
        return documents;
    }

    public RenderedDocument Render(string name, RenderInput input, CancellationToken cancellation = default)
    {
        var file = Templates.Get(name);
        return Render(name, file, Parse(file), RenderModel.Build(input), DocumentFunctions.Create(), cancellation);
    }

    // Runs beside the incident read and the model build: it only reads the parse cache, which RenderAll fills
    // once it has the templates (one Prepare at a time per renderer).
    private (TemplateFile? File, Template? Template, ExceptionDispatchInfo? Failure) ReadTemplate(string name)
    {
        try
        {
            var file = Templates.Get(name);
            return (file, _parsed.TryGetValue(file.Name, out var cached) ? cached : ParseFile(file), null);
        }
        catch (Exception e)
        {
            return (null, null, ExceptionDispatchInfo.Capture(e));
        }
    }

    private RenderedDocument Render(string name, TemplateFile file, Template template, ScriptObject model, DocumentFunctions functions,
        CancellationToken cancellation)
    {
        var globals = new ScriptObject { ["incident"] = model };
        var context = new LimitedTemplateContext(Limits, cancellation, functions.Builtins)
        {
            StrictVariables = true,
            // An unknown member is a mistake in the template, but a missing optional value (null) is
            // normal data: x.y on a null x gives null.
            EnableRelaxedMemberAccess = false,
            EnableRelaxedTargetAccess = true,
            EnableRelaxedFunctionAccess = false,
            NewLine = "\n",
            MemberRenamer = StandardMemberRenamer.Default,
        };
        context.PushGlobal(functions.Ours);
        context.PushGlobal(globals);
        string text;
        try
        {
            text = template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            // Scriban wraps what our context throws on a signal; it is a cancellation, not a template error.
            cancellation.ThrowIfCancellationRequested();
            throw TemplateException.At(file.Path, e.Span, e.OriginalMessage, e);
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new TemplateException($"{file.Path}: rendering failed: the template nests too deeply (a cyclic object or endless recursion?)", e);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new TemplateException($"{file.Path}: rendering failed: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        return new RenderedDocument(name, MarkdownTidy.Apply(text));
    }

    private Template Parse(TemplateFile file)
    {
        if (!_parsed.TryGetValue(file.Name, out var template))
        {
            _parsed[file.Name] = template = ParseFile(file);
        }
        return template;
    }

    private static Template ParseFile(TemplateFile file)
    {
        string source;
        try
        {
            source = new System.Text.UTF8Encoding(false, true).GetString(Files.InputFile.ReadAll(file.Path, file.Path, MaxTemplateBytes));
        }
        catch (Exception e) when (e is InvalidInputException or System.Text.DecoderFallbackException)
        {
            throw new TemplateException($"{file.Path}: cannot read template: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        // Templates checked out with CRLF line endings still render LF documents.
        var template = Template.Parse(source.ReplaceLineEndings("\n"), file.Path);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw TemplateException.At(file.Path, first.Span, first.Message);
        }
        return template;
    }
}

/// <summary>The functions one document's templates can call: Scriban's built-in ones and ours, neither shared with another document.</summary>
internal sealed record DocumentFunctions(ScriptObject Builtins, ScriptObject Ours)
{
    public static DocumentFunctions Create() => new(TemplateContext.GetDefaultBuiltinObject(), TemplateFunctions.Create());
}

/// <summary>Templates being read and parsed ahead of a render (<see cref="DocumentRenderer.Prepare"/>).</summary>
public sealed class PreparedDocuments
{
    internal PreparedDocuments(IReadOnlyList<string> names,
        Task<(List<(TemplateFile? File, Template? Template, ExceptionDispatchInfo? Failure)> Templates, List<DocumentFunctions> Functions)> templates)
    {
        Names = names;
        Templates = templates;
    }

    public IReadOnlyList<string> Names { get; }

    internal Task<(List<(TemplateFile? File, Template? Template, ExceptionDispatchInfo? Failure)> Templates, List<DocumentFunctions> Functions)> Templates { get; }
}
