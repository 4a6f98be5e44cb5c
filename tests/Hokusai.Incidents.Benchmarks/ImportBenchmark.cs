using System.Globalization;
using System.Text;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>
/// A team's archive imported in one command, whole process: <c>incidents import DIR</c> into an empty
/// store beside <c>incidents import DIR --dry-run</c> (read, recognise and group the same files, store
/// nothing) in the same run. The archive is generated in the shapes of the import fixtures (front matter
/// and table timelines, bullet timelines with zones, dated headings with 5 whys, impact windows with
/// numbered headings, investigation check lists), some incidents spread over several files.
/// </summary>
public sealed class ImportBenchmark : IBenchmark
{
    public string Name => "import";
    public string Description => "whole process: import of 2k generated postmortems in one command vs --dry-run of the same files (docs/s)";

    public void Run(BenchmarkContext context)
    {
        var program = IncidentsProgram.Locate();
        var dir = context.TempDirectory("import");
        // HOKUSAI_BENCH_IMPORT_ARCHIVE=DIR writes the archive there and keeps it, to look at what was grouped.
        var archive = Environment.GetEnvironmentVariable("HOKUSAI_BENCH_IMPORT_ARCHIVE") is { Length: > 0 } kept
            ? Path.GetFullPath(kept)
            : Path.Combine(dir, "archive");
        var (documents, incidents) = ArchiveWriter.Write(archive, context.Size(2_000));
        Console.WriteLine($"archive: {documents:N0} documents about {incidents:N0} incidents in {archive}");

        var dry = program.Run(Path.Combine(dir, "dry.db"), "import", archive, "--dry-run").ShouldSucceed();
        var real = program.Run(Path.Combine(dir, "real.db"), "import", archive).ShouldSucceed();
        var listed = program.Run(Path.Combine(dir, "real.db"), "list", "--json").ShouldSucceed();
        var stored = System.Text.Json.JsonDocument.Parse(listed.Out).RootElement.GetArrayLength();

        Console.WriteLine($"dry-run: {dry.Elapsed.TotalSeconds:N2} s -> {documents / dry.Elapsed.TotalSeconds:N0} docs/s");
        Console.WriteLine($"import:  {real.Elapsed.TotalSeconds:N2} s -> {documents / real.Elapsed.TotalSeconds:N0} docs/s, {stored:N0} incidents stored (target: >= 200 docs/s, <= 2x the dry-run)");
        BenchmarkContext.Report($"import {documents:N0} documents", real.Elapsed, dry.Elapsed, "dry-run", documents);
        // The import ends by bringing the search index up to date; a full reindex of the same store shows that share.
        var reindex = program.Run(Path.Combine(dir, "real.db"), "reindex").ShouldSucceed();
        Console.WriteLine($"of which search index (a reindex of the imported store): {reindex.Elapsed.TotalSeconds:N2} s");
    }
}

/// <summary>Writes generated postmortems in the shapes real teams write; the same seed gives the same archive.</summary>
internal static class ArchiveWriter
{
    private static readonly string[] Words =
    [
        "cache", "queue", "worker", "gateway", "replica", "index", "scheduler", "ledger", "broker", "resolver",
        "checkout", "billing", "search", "upload", "webhook", "session", "tiles", "export", "mailer", "ranker",
    ];

    private static readonly string[] Verbs =
    [
        "timed out", "returned 503", "stopped draining", "ran out of connections", "served stale data",
        "crash-looped", "lost its lease", "rejected valid tokens", "filled its disk", "dropped messages",
    ];

    private static readonly string[] Owners = ["priya", "tomas", "dana", "li", "oren", "sam", "noor", "kai"];

    public static (int Documents, int Incidents) Write(string directory, int documents)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(11);
        var written = 0;
        var incidents = 0;
        var day = new DateOnly(2019, 1, 3);
        while (written < documents)
        {
            incidents++;
            day = day.AddDays(1 + random.Next(2));
            var service = $"{Pick(random, Words)}-{Pick(random, Words)}-{incidents}";
            var title = $"{char.ToUpperInvariant(service[0])}{service[1..]} {Pick(random, Verbs)}";
            var shape = incidents % 5;
            var files = new List<(string Name, string Text)> { ($"{day:yyyy-MM-dd}-{service}.md", MainDocument(shape, title, service, day, random)) };
            // Every seventh incident is written up over several files, as teams do.
            if (incidents % 7 == 0)
            {
                files.Add(($"{day:yyyy-MM-dd}-{service}-timeline.md", TimelineOnly(title, day, random)));
                files.Add(($"{day:yyyy-MM-dd}-{service}-actions.md", ActionsOnly(title, day, random)));
            }
            foreach (var (name, text) in files.Take(documents - written))
            {
                File.WriteAllText(Path.Combine(directory, name), text);
                written++;
            }
        }
        return (written, incidents);
    }

    private static string MainDocument(int shape, string title, string service, DateOnly day, Random r) => shape switch
    {
        0 => FrontMatterTable(title, service, day, r),
        1 => BulletZones(title, service, day, r),
        2 => DatedHeadings(title, service, day, r),
        3 => WindowNumbered(title, service, day, r),
        _ => Investigation(title, service, day, r),
    };

    private static string FrontMatterTable(string title, string service, DateOnly day, Random r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"---\ntitle: {title}\ndate: {day:yyyy-MM-dd}\nauthors:\n  - {Pick(r, Owners)}\ntags: [{service}, {Pick(r, Words)}]\nseverity: SEV{1 + r.Next(4)}\n---\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"# Postmortem: {title}\n\n## Summary\n\n{Sentence(r)} The **{service}** service {Pick(r, Verbs)} for [most requests](https://status.example.test/{service}).\n\n");
        sb.Append("## Timeline\n\nAll times are in PST.\n\n| Time | Event |\n|------|-------|\n");
        var minute = r.Next(600);
        for (var i = 0; i < 5 + r.Next(6); i++)
        {
            minute += 3 + r.Next(25);
            sb.Append(CultureInfo.InvariantCulture, $"| {minute / 60 % 24:00}:{minute % 60:00} | {Sentence(r)} `{service}` |\n");
        }
        sb.Append("\n## Root Causes\n\n");
        for (var i = 1; i <= 2; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i}. {Sentence(r)}\n");
        }
        sb.Append("\n## Action items\n\n| Action | Owner | Due | Priority |\n|--------|-------|-----|----------|\n");
        for (var i = 0; i < 2 + r.Next(4); i++)
        {
            var priority = r.Next(3) == 0 ? "" : $"P{1 + r.Next(4)}";
            sb.Append(CultureInfo.InvariantCulture, $"| {Sentence(r)} | @{Pick(r, Owners)} | {day.AddDays(14 + r.Next(30)):yyyy-MM-dd} | {priority} |\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"\n## What went well\n\n- {Sentence(r)}\n\n## What went poorly\n\n- {Sentence(r)}\n\n## Where we got lucky\n\n- {Sentence(r)}\n");
        return sb.ToString();
    }

    private static string BulletZones(string title, string service, DateOnly day, Random r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Incident report: {title}\n\nDate: {day:yyyy-MM-dd}\n**Severity**: {Pick(r, ["Minor", "Major", "Critical"])}\n\n## Impact\n\n{Sentence(r)} {Sentence(r)}\n\n## Timeline\n\n");
        var minute = 480 + r.Next(300);
        string[] zones = ["UTC", "CET", "CEST", "PDT", "EST"];
        for (var i = 0; i < 4 + r.Next(8); i++)
        {
            minute += 2 + r.Next(20);
            var clock = $"{minute / 60 % 24:00}:{minute % 60:00}";
            sb.Append((i % 3) switch
            {
                0 => $"- [{clock}] {Sentence(r)}\n",
                1 => $"- **{clock} {Pick(r, zones)}** {Sentence(r)} on `{service}`\n",
                _ => $"- {clock} {Pick(r, zones)}: {Sentence(r)}\n",
            });
        }
        sb.Append(CultureInfo.InvariantCulture, $"\n## Root Cause Analysis\n\n{Sentence(r)} {Sentence(r)}\n\n## Follow-ups\n\n");
        for (var i = 1; i <= 2 + r.Next(3); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i}. {Sentence(r)} @{Pick(r, Owners)} by {day.AddDays(20 + r.Next(40)):yyyy-MM-dd}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"\n## Lessons learned\n\n- {Sentence(r)}\n  - {Sentence(r)}\n\n## Appendix\n\n{Sentence(r)}\n");
        return sb.ToString();
    }

    private static string DatedHeadings(string title, string service, DateOnly day, Random r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"> Status: resolved\n\n# {title}\n\n## Summary\n\n{Sentence(r)} `{service}` {Pick(r, Verbs)}.\n\n## Timeline\n\n");
        var minute = 300 + r.Next(400);
        for (var i = 0; i < 3 + r.Next(4); i++)
        {
            minute += 5 + r.Next(30);
            sb.Append(CultureInfo.InvariantCulture, $"### {day:yyyy-MM-dd} {minute / 60 % 24:00}:{minute % 60:00}\n\n{Sentence(r)}\n\n");
        }
        sb.Append("## 5 whys\n\n");
        for (var i = 1; i <= 5; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i}. Why? {Sentence(r)}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"\n## Remediation\n\n- {Sentence(r)} (owner: {Pick(r, Owners)})\n- {Sentence(r)}\n\n## What went wrong\n\n- {Sentence(r)}\n");
        return sb.ToString();
    }

    private static string WindowNumbered(string title, string service, DateOnly day, Random r)
    {
        var sb = new StringBuilder();
        var start = 8 + r.Next(8);
        sb.Append(CultureInfo.InvariantCulture, $"# RCA: {title}\n\n**Window**: {day:yyyy-MM-dd} {start:00}:00–{start + 1:00}:30 CET\n**Duration**: 1h30m\n**Severity**: P{r.Next(4)}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"## 1. Overview\n\n{Sentence(r)} {Sentence(r)}\n\n## 2. Impact\n\n{Sentence(r)}\n\n## 4. Analysis\n\n### 4.1 Trigger\n\n{Sentence(r)}\n\n### 4.2 Root cause\n\n{Sentence(r)} `{service}`.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"## 5. Corrective actions\n\n- [ ] {Sentence(r)} @{Pick(r, Owners)}\n- [x] {Sentence(r)}\n\n## 6. Notes\n\n{Sentence(r)}\n");
        return sb.ToString();
    }

    private static string Investigation(string title, string service, DateOnly day, Random r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Bug Investigation: {title}\n\n**Date**: {day:yyyy-MM-dd}\n**Severity**: SEV{1 + r.Next(4)}\n**Service**: {service}\n\n## Bug Summary\n\n{Sentence(r)}\n\n");
        sb.Append("## Hypotheses\n\n");
        for (var h = 1; h <= 1 + r.Next(3); h++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"### H{h}: {Sentence(r)}\n\n**Confidence**: {20 + r.Next(70)}%\n\n{Sentence(r)}\n\n");
        }
        sb.Append("## Fix Tasks\n\n### Priority 1: CRITICAL - Immediate Fix\n\n");
        for (var i = 0; i < 2 + r.Next(5); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- [{(r.Next(2) == 0 ? " " : "x")}] {Sentence(r)}\n  - [ ] {Sentence(r)}\n");
        }
        return sb.ToString();
    }

    private static string TimelineOnly(string title, DateOnly day, Random r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Timeline: {title}\n\nDate: {day:yyyy-MM-dd}\n\n");
        var minute = 200 + r.Next(200);
        for (var i = 0; i < 4; i++)
        {
            minute += 7 + r.Next(15);
            sb.Append(CultureInfo.InvariantCulture, $"- {minute / 60 % 24:00}:{minute % 60:00} UTC: {Sentence(r)}\n");
        }
        return sb.ToString();
    }

    private static string ActionsOnly(string title, DateOnly day, Random r) =>
        string.Create(CultureInfo.InvariantCulture, $"# Action items: {title}\n\nDate: {day:yyyy-MM-dd}\n\n## Next steps\n\n- {Sentence(r)} @{Pick(r, Owners)}\n- {Sentence(r)} by {day.AddDays(30):yyyy-MM-dd}\n");

    private static string Sentence(Random r)
    {
        var words = Enumerable.Range(0, 5 + r.Next(8)).Select(_ => Pick(r, Words)).ToList();
        words.Insert(2, Pick(r, Verbs));
        var text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    private static string Pick(Random r, string[] from) => from[r.Next(from.Length)];
}
