using System.Globalization;
using Scriban.Runtime;

namespace Hokusai.Incidents.Rendering;

/// <summary>The helper functions every template can call (documented in templates/README.md).</summary>
internal static class TemplateFunctions
{
    // Scriban binds each function by reflecting over its delegate. In the native build that still works:
    // our assemblies are not trimmed (TrimMode partial) and .ci/check-native.sh renders every document.
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Our assemblies are kept whole; checked by .ci/check-native.sh")]
    public static ScriptObject Create()
    {
        var f = new ScriptObject();
        f.Import("utc", new Func<object?, string>(o => AsTime(o) is { } t ? TimeInput.Format(t) : ""));
        f.Import("day", new Func<object?, string>(o => AsTime(o) is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : ""));
        f.Import("clock", new Func<object?, string>(o => AsTime(o) is { } t ? t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) : ""));
        // Mermaid reads times without a zone as local and shows them as written: UTC in, UTC on the axis.
        f.Import("mermaid_time", new Func<object?, string>(o => AsTime(o) is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : ""));
        f.Import("duration", new Func<object?, string>(o => o is TimeSpan s ? MarkdownText.Duration(s) : ""));
        f.Import("minutes", new Func<object?, long>(o => o is TimeSpan s ? (long)Math.Ceiling(s.TotalMinutes) : 0));
        // An author's Markdown (imported) renders as written, sanitized; any other text is escaped.
        f.Import("md", new Func<object?, string>(o => o is AuthoredMarkdown a ? (a.SingleLine ? MarkdownSanitizer.Line(a.Text) : MarkdownSanitizer.Block(a.Text)) : MarkdownText.Inline(AsText(o))));
        f.Import("cell", new Func<object?, string>(o => o is AuthoredMarkdown a ? MarkdownSanitizer.Line(a.Text) : MarkdownText.Cell(AsText(o))));
        f.Import("code", new Func<object?, string>(o => MarkdownText.Code(AsText(o))));
        f.Import("fence", new Func<object?, object?, string>((o, lang) => MarkdownText.Fence(AsText(o), AsText(lang))));
        f.Import("checkbox", new Func<object?, string>(o => MarkdownText.Checkbox(o is true)));
        f.Import("confidence", new Func<object?, string>(o => RenderModel.ConfidenceLabel(AsPercent(o))));
        f.Import("anchor", new Func<object?, string>(o => MarkdownText.Anchor(AsText(o))));
        f.Import("mermaid", new Func<object?, string>(o => MarkdownText.Mermaid(o is AuthoredMarkdown a ? MarkdownSanitizer.Plain(a.Text) : AsText(o))));
        f.Import("humanize", new Func<object?, string>(o => Humanize(AsText(o))));
        // Scriban's date functions without the clock: a document depends on the incident, never on when
        // it was rendered, so date.now is an unknown member (an error naming the line).
        var date = new Scriban.Functions.DateTimeFunctions();
        date.Remove("now");
        f["date"] = date;
        return f;
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
