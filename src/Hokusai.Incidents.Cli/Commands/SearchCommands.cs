using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Hokusai.Incidents.Search;
using Spectre.Console;

namespace Hokusai.Incidents.Cli.Commands;

/// <summary>
/// <c>search</c>, <c>similar</c> and <c>reindex</c>, and the hooks that keep the search index in
/// step with every write and feed "similar past incidents" to <c>show</c>.
/// </summary>
internal static partial class SearchCommands
{
    public static IEnumerable<Command> Create(CliApp app)
    {
        app.IncidentChanged.Add((inv, id) => KeepIndex(inv, () => SearchIndex.IncidentChanged(inv.Store, id, inv.Notice)));
        app.EvidenceChanged.Add((inv, id, number) => KeepIndex(inv, () => SearchIndex.EvidenceChanged(inv.Store, id, number, inv.Notice)));
        app.IncidentDeleted.Add((inv, id) => KeepIndex(inv, () => SearchIndex.IncidentDeleted(inv.Store, id)));
        app.FindSimilar = FindSimilar;
        return [Search(app), Similar(app), Reindex(app)];
    }

    private static Command Search(CliApp app)
    {
        var query = new Argument<string[]>("query")
        {
            Description = "Words, \"phrases\", prefix*, field:value, AND/OR/NOT; paths, IPs and error names as typed",
            Arity = ArgumentArity.OneOrMore,
        };
        var kind = Options.Text("--kind", "Only this kind of item: incident, hypothesis, task, evidence, timeline or note");
        var service = Options.Text("--service", "Only incidents affecting a service whose name contains this");
        var severity = Options.Text("--severity", "Only incidents of this severity (SEV1–SEV4)");
        var status = Options.Text("--status", "Only incidents with this status");
        var since = Options.Text("--since", "Only incidents started since this time (ISO-8601 or 30d)");
        var limit = new Option<int>("--limit") { Description = "At most this many hits (default 10)", DefaultValueFactory = _ => 10 };
        var any = new Option<bool>("--any")
        {
            Description = "Match items with any of the words (by default every word must match; when no item has them all, any is tried)",
        };
        var json = Options.Json();
        var command = new Command("search", "Full-text search over incidents, hypotheses, tasks, timeline, notes and evidence")
        {
            query, kind, service, severity, status, since, limit, any, json,
        };
        app.SetAction(command, inv =>
        {
            var request = new SearchRequest
            {
                Query = string.Join(' ', inv.Get(query) ?? []),
                Kind = inv.Get(kind) is { } k ? IndexSchema.ParseKind(k) : null,
                Service = inv.Get(service),
                Severity = inv.Get(severity) is { } sv ? Vocabulary.ParseSeverity(sv) : null,
                Status = inv.Get(status) is { } st ? Vocabulary.ParseStatus(st) : null,
                Since = inv.Get(since) is { } si ? TimeInput.Parse(si, inv.Now) : null,
                Limit = inv.Get(limit),
                AnyWord = inv.Get(any),
            };
            // The database is opened only if its files changed since the index was last found current.
            var database = inv.FullPath(inv.DatabasePath);
            using var index = !inv.Env.ErrorIsTerminal || SearchIndex.IsCurrent(database, () => inv.Store)
                ? SearchIndex.OpenCurrent(database, () => inv.Store, inv.Notice)
                : TerminalProgress.Run(inv, "Indexing", bar => SearchIndex.OpenCurrent(database, () => inv.Store, inv.Notice, IndexBar(bar)));
            var results = index.Search(request);
            if (inv.Get(json))
            {
                inv.Out.Line(SearchResultsJson.Serialize(results));
                return 0;
            }
            if (results.Hits.Count == 0)
            {
                inv.Out.Line($"No matches for '{request.Query}'.");
                return 0;
            }
            if (results.Match == SearchResults.AnyWord && !request.AnyWord)
            {
                inv.Notice("no item has every word; showing items with any of them");
            }
            var table = Output.Table("#", "Score", "Incident", "Item", "Match");
            var rank = 0;
            foreach (var h in results.Hits)
            {
                rank++;
                var match = (h.Title is { } t ? $"[bold]{Output.Escape(t)}[/]\n" : "") + Marked(h.Snippet, inv.Env.OutIsTerminal);
                table.AddRow(
                    rank.ToString(CultureInfo.InvariantCulture),
                    h.Score.ToString("0.00", CultureInfo.InvariantCulture),
                    $"{Output.Escape(h.IncidentId)}\n{Output.Escape(h.IncidentTitle)}\n{h.Severity} {h.Status}",
                    Output.Escape(h.Kind == IndexSchema.IncidentKind ? "incident" : h.Item),
                    match);
            }
            inv.Out.Write(table);
            inv.Out.Line($"{results.Hits.Count} of {results.TotalHits} hit(s).");
            return 0;
        });
        return command;
    }

    private static Command Similar(CliApp app)
    {
        var id = Options.IncidentId();
        var limit = new Option<int>("--limit") { Description = "At most this many incidents (default 5)", DefaultValueFactory = _ => 5 };
        var json = Options.Json();
        var command = new Command("similar", "Past incidents most like this one, with the terms they share") { id, limit, json };
        app.SetAction(command, inv =>
        {
            var incidentId = inv.Get(id)!;
            inv.Store.Get(incidentId);
            var matches = WithRebuildBar(inv, progress => SearchIndex.SimilarIncidents(inv.Store, incidentId, inv.Get(limit), inv.Notice, progress));
            var seen = matches.Select(m => inv.Store.Find(m.Id) is { } past ? Analysis.SeenBefore.Of(past) : null).ToList();
            if (inv.Get(json))
            {
                inv.Out.Json(matches.Select((m, i) => new SimilarWithHistory(m.Id, m.Title, m.Score, m.SharedTerms, seen[i])).ToList());
                return 0;
            }
            if (matches.Count == 0)
            {
                inv.Out.Line($"No incidents like {incidentId} yet.");
                return 0;
            }
            var table = Output.Table("Incident", "Title", "Score", "Shared terms");
            foreach (var m in matches)
            {
                table.AddRow(Output.Escape(m.Id), Output.Escape(m.Title), m.Score.ToString("0.00", CultureInfo.InvariantCulture),
                    Output.Escape(string.Join(", ", m.SharedTerms.Take(12))));
            }
            inv.Out.Write(table);
            SimilarHistory.Print(inv, incidentId, seen);
            return 0;
        });
        return command;
    }

    private static Command Reindex(CliApp app)
    {
        var command = new Command("reindex", "Rebuild the search index from the database");
        app.SetAction(command, (inv, ct) =>
        {
            using var index = SearchIndex.Open(IndexSchema.DirectoryFor(inv.Store.Location));
            var count = TerminalProgress.Run(inv, "Indexing", bar => index.Rebuild(inv.Store, IndexBar(bar), ct));
            inv.Out.Line($"Indexed {count} incident(s) into {index.Location}.");
            return Task.FromResult(0);
        });
        return command;
    }

    private static IReadOnlyList<SimilarIncident> FindSimilar(CliInvocation inv, string incidentId, int limit)
    {
        try
        {
            return [.. SearchIndex.SimilarIncidents(inv.Store, incidentId, limit, inv.Notice)
                .Select(m => new SimilarIncident(m.Id, m.Title, m.Score, m.SharedTerms))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IncidentsException)
        {
            inv.Warn($"similar incidents unavailable: {e.Message.ReplaceLineEndings(" ")}");
            return [];
        }
    }

    /// <summary>The write already succeeded; an index that cannot be updated must not fail it, only be rebuilt later.</summary>
    private static void KeepIndex(CliInvocation inv, Action update)
    {
        try
        {
            update();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IncidentsException)
        {
            inv.Warn($"search index not updated ({e.Message.ReplaceLineEndings(" ")}); the next search rebuilds it");
        }
    }

    /// <summary>Snippet marks as bold on a terminal, kept as **…** elsewhere so they survive in logs and tickets.</summary>
    private static string Marked(string snippet, bool terminal)
    {
        var escaped = Output.Escape(snippet);
        return terminal ? Mark().Replace(escaped, "[bold yellow]$1[/]") : escaped;
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Mark();

    /// <summary>Work that may rebuild the index first; a bar is shown (on a terminal) only when it will.</summary>
    private static T WithRebuildBar<T>(CliInvocation inv, Func<IProgress<IndexProgress>?, T> work) =>
        !inv.Env.ErrorIsTerminal || SearchIndex.IsCurrent(inv.Store)
            ? work(null)
            : TerminalProgress.Run(inv, "Indexing", bar => work(IndexBar(bar)));

    /// <summary>Index rebuild progress as a bar of incidents, with the evidence count beside it.</summary>
    private static IProgress<IndexProgress>? IndexBar(IProgress<(double Done, double Total, string Detail)>? bar) =>
        bar is null ? null : new InlineProgress<IndexProgress>(p => bar.Report((p.Incidents, p.Total,
            string.Create(CultureInfo.InvariantCulture, $"{p.Incidents:N0}/{p.Total:N0} incidents, {p.Evidence:N0} evidence"))));
}
