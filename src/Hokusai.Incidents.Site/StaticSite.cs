using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hokusai.Incidents.Rendering;
using Hokusai.Incidents.Search;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Site;

/// <summary>What to build and where.</summary>
public sealed record SiteOptions
{
    public const string DefaultTitle = "Incident knowledge base";

    public required string OutputDirectory { get; init; }
    public string Title { get; init; } = DefaultTitle;
    /// <summary>The document templates (shipped, or the user's overrides).</summary>
    public required TemplateSet Templates { get; init; }
    public int SimilarCount { get; init; } = 5;
}

/// <summary>Progress of a build: incidents done of all.</summary>
public sealed record SiteProgress(int Done, int Total);

/// <summary>
/// Builds the static site of every incident in a store. Every page is a function of the store alone
/// (no clock, no machine names), so the same store gives the same bytes.
/// </summary>
public static class StaticSite
{
    public static SiteBuildResult Build(IIncidentStore store, SiteOptions options, Action<string>? notice = null,
        IProgress<SiteProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var title = string.IsNullOrWhiteSpace(options.Title) ? SiteOptions.DefaultTitle : options.Title.Trim();
        var incidents = store.List()
            .Select(i => (Incident: i, Facts: IncidentFacts.Of(i)))
            .OrderByDescending(i => i.Facts.Started ?? i.Incident.CreatedAt)
            .ThenBy(i => i.Incident.Id, StringComparer.Ordinal)
            .ToList();
        var writer = SiteWriter.Open(options.OutputDirectory);

        var similar = CachedSimilarOf(store, writer.Directory, incidents.Select(i => i.Incident.Id).ToList(), options.SimilarCount, notice, cancellationToken);
        var titles = incidents.ToDictionary(i => i.Incident.Id, i => i.Incident.Title, StringComparer.Ordinal);

        var generation = Generation(title, options.Templates);
        var done = 0;
        // One renderer per worker: a renderer caches parsed templates and is not meant to be shared.
        Parallel.ForEach(incidents, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new DocumentRenderer(options.Templates),
            (item, _, renderer) =>
            {
                var incident = item.Incident;
                var evidence = store.ReadEvidence(incident.Id);
                var links = similar.GetValueOrDefault(incident.Id, [])
                    .Where(s => titles.ContainsKey(s.Id))
                    .Select(s => new SimilarLink(s.Id, titles[s.Id], s.SharedTerms))
                    .ToList();
                // An incident's pages depend on it, its evidence, its similar links and the build's own inputs alone.
                if (writer.KeepIfBuiltFrom(incident.Id, InputsHash(generation, incident, evidence, links), SitePaths.IncidentFolder(incident.Id) + "/"))
                {
                    progress?.Report(new SiteProgress(Interlocked.Increment(ref done), incidents.Count));
                    return renderer;
                }
                var input = new RenderInput
                {
                    Incident = incident,
                    Evidence = evidence,
                    Similar = [.. links.Select(s => new SimilarIssue(s.Id, s.Title, s.SharedTerms))],
                };
                var documents = renderer.RenderAll(TemplateSet.StandardDocuments, input).Select(DocumentHtml.Convert).ToList();
                var pages = EvidencePages.Split(evidence);
                writer.Write(SitePaths.IncidentPage(incident.Id),
                    IncidentPage.Build(title, incident, item.Facts, documents, pages, evidence.Count, evidence, links));
                for (var p = 1; p <= pages.Pages.Count; p++)
                {
                    writer.Write(SitePaths.EvidencePage(incident.Id, p), pages.Build(title, incident, p));
                }
                progress?.Report(new SiteProgress(Interlocked.Increment(ref done), incidents.Count));
                return renderer;
            },
            _ => { });

        var actions = ActionItem.OpenAcross(incidents.Select(i => i.Incident));
        writer.Write(SitePaths.Home, HomePage.Build(title, incidents, actions));
        writer.Write(SitePaths.Actions, HomePage.BuildActions(title, actions));
        writer.Write(SitePaths.Search, SearchPage.Build(title));
        writer.Write(SitePaths.SearchIndex, SearchPage.IndexScript(incidents.Select(i => i.Incident)));
        foreach (var (name, bytes) in Assets())
        {
            writer.Write(SitePaths.Assets + name, bytes);
        }
        return writer.Finish(incidents.Count);
    }

    /// <summary>
    /// What every page of a build shares: the site title, the templates' text and this code (the
    /// assemblies that turn an incident into pages), so a new version or template rebuilds everything.
    /// </summary>
    private static byte[] Generation(string title, TemplateSet templates)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(title + "\n"));
        foreach (var assembly in new[] { typeof(StaticSite).Assembly, typeof(DocumentRenderer).Assembly, typeof(Incident).Assembly })
        {
            hash.AppendData(assembly.ManifestModule.ModuleVersionId.ToByteArray());
        }
        foreach (var name in TemplateSet.StandardDocuments)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            hash.AppendData(File.ReadAllBytes(templates.Get(name).Path));
        }
        return hash.GetHashAndReset();
    }

    private static string InputsHash(byte[] generation, Incident incident, IReadOnlyList<Evidence> evidence, IReadOnlyList<SimilarLink> links)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(generation);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Compact.TypeInfo<Incident>()));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(evidence, IncidentJson.Compact.TypeInfo<IReadOnlyList<Evidence>>()));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(links, SiteJson.Compact.TypeInfo<IReadOnlyList<SimilarLink>>()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The site's script, style and vendored libraries (with their licences), embedded in this assembly.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Assets()
    {
        var assembly = typeof(StaticSite).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(SitePaths.Assets, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            yield return (name[SitePaths.Assets.Length..], copy.ToArray());
        }
    }

    /// <summary>
    /// Similar incidents as the last build found them when the store has not changed since (same file, same
    /// change sequence): one query per incident is most of a rebuild's time. The key is a hash, so the
    /// published folder does not show where the database lives.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<SimilarIncidentMatch>> CachedSimilarOf(IIncidentStore store, string siteDirectory,
        IReadOnlyList<string> ids, int limit, Action<string>? notice, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Path.GetFullPath(store.Location)}\n{store.ChangeSequence}\n{limit}")));
        var path = Path.Combine(siteDirectory, SimilarCacheName);
        try
        {
            if (File.Exists(path) && JsonSerializer.Deserialize(File.ReadAllBytes(path), SiteJson.Compact.TypeInfo<SimilarCache>()) is { } cached && cached.Key == key)
            {
                return new(cached.Similar, StringComparer.Ordinal);
            }
        }
        catch (JsonException)
        {
            // A damaged cache costs the queries, nothing else.
        }
        var similar = SimilarOf(store, ids, limit, notice, cancellationToken);
        if (similar.Count > 0)
        {
            // Not when the index could not be read: the next build tries again (and says why).
            var temporary = path + ".tmp";
            // In id order: the queries run side by side, so the dictionary's own order changes from build to build,
            // and two builds of the same store must give the same bytes.
            var ordered = new SortedDictionary<string, IReadOnlyList<SimilarIncidentMatch>>(similar, StringComparer.Ordinal);
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new SimilarCache(key, ordered), SiteJson.Compact.TypeInfo<SimilarCache>()));
            File.Move(temporary, path, overwrite: true);
        }
        return similar;
    }

    /// <summary>Kept beside the pages (like the file list), not part of the site.</summary>
    public const string SimilarCacheName = "site-similar.json";

    internal sealed record SimilarCache(string Key, IDictionary<string, IReadOnlyList<SimilarIncidentMatch>> Similar);

    /// <summary>Similar past incidents of each incident, from the store's search index (rebuilt first if behind).</summary>
    private static Dictionary<string, IReadOnlyList<SimilarIncidentMatch>> SimilarOf(IIncidentStore store, IReadOnlyList<string> ids, int limit,
        Action<string>? notice, CancellationToken cancellationToken)
    {
        var result = new ConcurrentDictionary<string, IReadOnlyList<SimilarIncidentMatch>>(StringComparer.Ordinal);
        if (ids.Count < 2 || limit < 1)
        {
            return new(result, StringComparer.Ordinal);
        }
        try
        {
            using var index = SearchIndex.OpenCurrent(store, notice);
            // The first query opens the index reader; after that searches may run side by side.
            result[ids[0]] = index.SimilarIncidents(ids[0], limit);
            Parallel.ForEach(ids.Skip(1), new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                id => result[id] = index.SimilarIncidents(id, limit));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IncidentsException)
        {
            // The index is a convenience beside the store (it may sit on a read-only disk): the site is still built.
            notice?.Invoke($"similar incidents left out: {e.Message.ReplaceLineEndings(" ")}");
            result.Clear();
        }
        return new(result, StringComparer.Ordinal);
    }

}
