using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Hokusai.Incidents.Rendering;

/// <summary>The helper functions every template can call (documented in templates/README.md).</summary>
internal static class TemplateFunctions
{
    // Scriban finds its built-in functions (string.slice, array.join, date.to_string…) by reflection over
    // these classes; Native AOT keeps their methods only when told to.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.ArrayFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.DateTimeFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.HtmlFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.MathFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.ObjectFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.RegexFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.StringFunctions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, typeof(Scriban.Functions.TimeSpanFunctions))]
    public static ScriptObject Create(bool withDate)
    {
        var f = new ScriptObject();
        Add(f, "utc", o => AsTime(o) is { } t ? TimeInput.Format(t) : "");
        Add(f, "day", o => AsTime(o) is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "");
        Add(f, "clock", o => AsTime(o) is { } t ? t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) : "");
        // Mermaid reads times without a zone as local and shows them as written: UTC in, UTC on the axis.
        Add(f, "mermaid_time", o => AsTime(o) is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : "");
        Add(f, "duration", o => o is TimeSpan s ? MarkdownText.Duration(s) : "");
        f.SetValue("minutes", new DirectFunction(typeof(long), [Parameter("o")], a => a[0] is TimeSpan s ? (long)Math.Ceiling(s.TotalMinutes) : 0L), readOnly: true);
        // An author's Markdown (imported) renders as written, sanitized; any other text is escaped.
        Add(f, "md", o => o is AuthoredMarkdown a ? (a.SingleLine ? MarkdownSanitizer.Line(a.Text) : MarkdownSanitizer.Block(a.Text)) : MarkdownText.Inline(AsText(o)));
        Add(f, "cell", o => o is AuthoredMarkdown a ? MarkdownSanitizer.Line(a.Text) : MarkdownText.Cell(AsText(o)));
        Add(f, "code", o => MarkdownText.Code(AsText(o)));
        f.SetValue("fence", new DirectFunction(typeof(string), [Parameter("o"), Parameter("lang")], a => MarkdownText.Fence(AsText(a[0]), AsText(a[1]))), readOnly: true);
        Add(f, "checkbox", o => MarkdownText.Checkbox(o is true));
        Add(f, "confidence", o => RenderModel.ConfidenceLabel(AsPercent(o)));
        Add(f, "anchor", o => MarkdownText.Anchor(AsText(o)));
        Add(f, "mermaid", o => MarkdownText.Mermaid(o is AuthoredMarkdown a ? MarkdownSanitizer.Plain(a.Text) : AsText(o)));
        Add(f, "humanize", o => Humanize(AsText(o)));
        // Scriban's date functions without the clock: a document depends on the incident, never on when
        // it was rendered, so date.now is an unknown member (an error naming the line).
        // (Making it reflects over the date module's methods: a document whose template never names date skips that.)
        if (withDate)
        {
            var date = new Scriban.Functions.DateTimeFunctions();
            date.Remove("now");
            f["date"] = date;
        }
        return f;
    }

    private static void Add(ScriptObject functions, string name, Func<object?, string> body) =>
        functions.SetValue(name, new DirectFunction(typeof(string), [Parameter("o")], a => body(a[0])), readOnly: true);

    private static ScriptParameterInfo Parameter(string name) => new(typeof(object), name);

    /// <summary>
    /// A template function called straight with its arguments. Scriban's wrapper of a delegate checks and
    /// invokes it through reflection on every call, a large part of a document with a thousand task rows;
    /// and unlike reflection over a delegate's method this needs nothing Native AOT cannot compile ahead.
    /// </summary>
    private sealed class DirectFunction(Type returnType, ScriptParameterInfo[] parameters, Func<ScriptArray, object?> body) : IScriptCustomFunction
    {
        public int RequiredParameterCount => parameters.Length;

        public int ParameterCount => parameters.Length;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => returnType;

        public ScriptParameterInfo GetParameterInfo(int index) => parameters[index];

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            body(arguments);

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            new(body(arguments));
    }

    private static DateTimeOffset? AsTime(object? o) => o switch
    {
        DateTimeOffset t => t,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s when TimeInput.TryParse(s, DateTimeOffset.UnixEpoch, out var t) => t,
        _ => null,
    };

    private static string? AsText(object? o) => o switch
    {
        null => null,
        AuthoredMarkdown a => a.Text,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => o.ToString(),
    };

    private static int? AsPercent(object? o) => o switch
    {
        int i => i,
        long l => (int)l,
        ScriptObject h when h.TryGetValue("confidence", out var c) => AsPercent(c),
        _ => null,
    };

    // "log-excerpt" -> "Log excerpt", "sev1" -> "Sev1": enum words as people write them in prose.
    internal static string Humanize(string? word) =>
        string.IsNullOrEmpty(word) ? "" : (char.ToUpperInvariant(word[0]) + word[1..].Replace('-', ' ')).Replace("Ecs ", "ECS ", StringComparison.Ordinal);
}
