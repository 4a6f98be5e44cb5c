using System.Globalization;
using System.Text;

namespace Hokusai.Incidents.Reports;

/// <summary>
/// The report as Markdown with Mermaid charts (pie and xychart-beta), which GitHub and GitLab draw
/// in place; the tables carry the same figures for viewers that do not.
/// </summary>
public static class ReportMarkdown
{
    public const string FileName = "incident-report.md";

    public static string Write(IncidentReport report)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line("# Incident report");
        Line();
        var since = report.Since is { } s ? " since " + TimeInput.Format(s) : "";
        Line(FormattableString.Invariant($"{report.Incidents} incident(s){since}, generated {TimeInput.Format(report.GeneratedAt)}.")
            + " Times are measured from the start of each incident.");
        Line();
        Line("## Summary");
        Line();
        Table(md, [report.Overall], "incidents of");
        if (report.BySeverity.Count > 0)
        {
            Line();
            Line("```mermaid");
            Line("pie title Incidents by severity");
            foreach (var (severity, count) in report.BySeverity)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"    \"{Label(severity)}\" : {count}"));
            }
            Line("```");
        }
        if (report.Groups.Count > 0)
        {
            Line();
            Line($"## By {report.By}");
            Line();
            Table(md, report.Groups, report.By);
            Line();
            Chart(md, $"Incidents by {report.By}", "incidents", report.Groups, g => g.Incidents);
            Line();
            Chart(md, $"Mean time to resolve by {report.By} (minutes)", "minutes", report.Groups, g => g.TimeToResolve.MeanMinutes ?? 0);
        }
        var missing = new[] { report.Overall.TimeToDetect, report.Overall.TimeToMitigate, report.Overall.TimeToResolve }.Where(m => m.Missing.Count > 0).ToList();
        if (missing.Count > 0)
        {
            Line();
            Line("## Incidents missing times");
            Line();
            Line("Left out of a measure, not counted as zero:");
            Line();
            foreach (var m in missing)
            {
                Line($"- {m.Measure}: {string.Join(", ", m.Missing.Select(x => $"`{x.IncidentId}` ({Cell(x.Reason)})"))}");
            }
        }
        return md.ToString();
    }

    private static void Table(StringBuilder md, IReadOnlyList<ReportGroup> groups, string by)
    {
        md.Append(CultureInfo.InvariantCulture, $"| {by} ").Append("| incidents | time to detect (mean / median) | time to mitigate (mean / median) | time to resolve (mean / median) |\n");
        md.Append("|---|---:|---|---|---|\n");
        foreach (var g in groups)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(g.Key)} ")
                .Append(CultureInfo.InvariantCulture, $"| {g.Incidents} | {Stat(g.TimeToDetect)} | {Stat(g.TimeToMitigate)} | {Stat(g.TimeToResolve)} |\n");
        }
    }

    private static string Stat(DurationStats s) => s.Measured == 0 ? "- (no incident has both times)"
        : string.Create(CultureInfo.InvariantCulture, $"{RecoveryReport.Format(s.Mean)} / {RecoveryReport.Format(s.Median)} (n={s.Measured}{(s.Missing.Count > 0 ? $", {s.Missing.Count} missing" : "")})");

    private static void Chart(StringBuilder md, string title, string axis, IReadOnlyList<ReportGroup> groups, Func<ReportGroup, double> value)
    {
        var values = groups.Select(value).ToList();
        md.Append("```mermaid\nxychart-beta\n")
            .Append(CultureInfo.InvariantCulture, $"    title \"{Label(title)}\"\n")
            .Append(CultureInfo.InvariantCulture, $"    x-axis [{string.Join(", ", groups.Select(g => $"\"{Label(g.Key)}\""))}]\n")
            .Append(CultureInfo.InvariantCulture, $"    y-axis \"{axis}\" 0 --> {Math.Max(1, Math.Ceiling(values.Max() * 1.1)).ToString(CultureInfo.InvariantCulture)}\n")
            .Append(CultureInfo.InvariantCulture, $"    bar [{string.Join(", ", values.Select(v => v.ToString("0.#", CultureInfo.InvariantCulture)))}]\n")
            .Append("```\n");
    }

    /// <summary>A Mermaid label: quotes would end it, and a line break would end the statement.</summary>
    private static string Label(string text) => text.Replace('"', '\'').ReplaceLineEndings(" ");

    /// <summary>A table cell: a pipe would start a new cell.</summary>
    private static string Cell(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
