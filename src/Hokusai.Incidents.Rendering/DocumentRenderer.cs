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
        return new PreparedDocuments(wanted, Task.Run(() =>
        {
            var read = wanted.Select(ReadTemplate).ToList();
            return (read, read.Select(r => r.Template is { } t ? DocumentFunctions.For(t) : null).ToList());
        }));
    }

    /// <summary>Renders documents <see cref="Prepare"/> started on; all of them, or an exception and nothing.</summary>
    public IReadOnlyList<RenderedDocument> RenderAll(PreparedDocuments prepared, RenderInput input, CancellationToken cancellation = default)
    {
        var wanted = prepared.Names;
        var templates = prepared.Templates;
        var model = RenderModel.Build(input);
        var (read, functions) = templates.GetAwaiter().GetResult();
        foreach (var (file, template, _) in read)
        {
            if (template is not null)
            {
                _parsed[file!.Name] = template;
            }
        }
        // The documents are rendered side by side, one per core: the model is read-only (RenderModel.Build),
        // so no template can change what another one sees, and each has a context and functions of its own.
        // The error thrown is the first document's in order, the one rendering them one by one would give.
        var documents = new RenderedDocument?[wanted.Count];
        var failures = new ExceptionDispatchInfo?[wanted.Count];
        Parallel.For(0, wanted.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(Environment.ProcessorCount, wanted.Count)) }, i =>
        {
            if (read[i].Failure is { } unread)
            {
                failures[i] = unread;
                return;
            }
            try
            {
                documents[i] = Render(wanted[i], read[i].File!, read[i].Template!, model, functions[i]!, cancellation);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        });
        foreach (var failure in failures)
        {
            failure?.Throw();
        }
        return documents!;
    }

    public RenderedDocument Render(string name, RenderInput input, CancellationToken cancellation = default)
    {
        var file = Templates.Get(name);
        var template = Parse(file);
        return Render(name, file, template, RenderModel.Build(input), DocumentFunctions.For(template), cancellation);
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
        catch (Exception e) when (e is InvalidCastException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
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
    /// <summary>
    /// Scriban's built-in modules that are made for a document only when its template names them. Scriban's
    /// default set makes every module, reflecting over each once and over the date module again per copy
    /// (about a tenth of a large render's CPU time in a fresh process). The date module is ours
    /// (TemplateFunctions), and a template naming object or an include gets Scriban's whole default set.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Func<object>> Modules = new Dictionary<string, Func<object>>(StringComparer.Ordinal)
    {
        ["array"] = () => new Scriban.Functions.ArrayFunctions(),
        ["empty"] = () => EmptyScriptObject.Default,
        ["blank"] = () => EmptyScriptObject.Default,
        ["html"] = () => new Scriban.Functions.HtmlFunctions(),
        ["math"] = () => new Scriban.Functions.MathFunctions(),
        ["regex"] = () => new Scriban.Functions.RegexFunctions(),
        ["string"] = () => new Scriban.Functions.StringFunctions(),
        ["timespan"] = () => new Scriban.Functions.TimeSpanFunctions(),
    };

    public static DocumentFunctions For(Template template)
    {
        var names = GlobalNames(template);
        // object.eval and the includes run template text that is not in the parsed page: it may name any module.
        if (names.Contains("object") || names.Contains("include") || names.Contains("include_join"))
        {
            return new(TemplateContext.GetDefaultBuiltinObject(), TemplateFunctions.Create(withDate: true));
        }
        var builtins = new ScriptObject();
        foreach (var name in names)
        {
            if (Modules.TryGetValue(name, out var module))
            {
                builtins.SetValue(name, module(), readOnly: true);
            }
        }
        return new(builtins, TemplateFunctions.Create(withDate: names.Contains("date")));
    }

    /// <summary>Every global name the template mentions (variables, functions, modules, loop variables).</summary>
    private static HashSet<string> GlobalNames(Template template)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ScriptNode>();
        if (template.Page is { } page)
        {
            pending.Push(page);
        }
        while (pending.TryPop(out var node))
        {
            if (node is ScriptVariableGlobal global)
            {
                names.Add(global.Name);
            }
            foreach (var child in node.Children)
            {
                if (child is not null)
                {
                    pending.Push(child);
                }
            }
        }
        return names;
    }
}

/// <summary>Templates being read and parsed ahead of a render (<see cref="DocumentRenderer.Prepare"/>).</summary>
public sealed class PreparedDocuments
{
    internal PreparedDocuments(IReadOnlyList<string> names,
        Task<(List<(TemplateFile? File, Template? Template, ExceptionDispatchInfo? Failure)> Templates, List<DocumentFunctions?> Functions)> templates)
    {
        Names = names;
        Templates = templates;
    }

    public IReadOnlyList<string> Names { get; }

    internal Task<(List<(TemplateFile? File, Template? Template, ExceptionDispatchInfo? Failure)> Templates, List<DocumentFunctions?> Functions)> Templates { get; }
}
