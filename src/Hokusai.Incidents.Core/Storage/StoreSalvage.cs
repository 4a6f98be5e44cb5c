using System.Buffers.Binary;
using Hokusai.Incidents.Files;
using LiteDB;

namespace Hokusai.Incidents.Storage;

/// <summary>What <see cref="StoreSalvage.CopyReadable"/> got out of a damaged database.</summary>
public sealed record SalvageReport(int Incidents, long Evidence, int RedactionPatterns, int UnreadableIncidents, IReadOnlyList<string> Problems);

/// <summary>
/// <c>incidents doctor</c>: copies whatever can still be read from a database into a NEW database.
/// The damaged file is only ever read (it is copied first and the copy is what LiteDB opens), so
/// nothing is repaired in place and nothing more can be lost.
/// </summary>
public static class StoreSalvage
{
    public static SalvageReport CopyReadable(string damagedPath, string newPath, CancellationToken cancellation = default)
    {
        if (FileKinds.Of(damagedPath) != FileKind.Regular)
        {
            throw new InvalidInputException($"'{damagedPath}' is {FileKinds.Describe(FileKinds.Of(damagedPath))}, not a database file");
        }
        if (FileKinds.Of(newPath, followLinks: false) != FileKind.Missing)
        {
            throw new InvalidInputException($"'{newPath}' already exists; doctor writes only to a new file");
        }
        var scratch = Path.Combine(Path.GetTempPath(), $"hokusai-doctor-{Guid.NewGuid():N}.db");
        var problems = new List<string>();
        try
        {
            PrepareCopy(damagedPath, scratch, problems);
            using var target = LiteDbIncidentStore.Open(newPath);
            var incidents = 0;
            var unreadable = 0;
            long evidence = 0;
            var patterns = 0;
            using (var source = Read(() => new LiteDatabase(new ConnectionString { Filename = scratch, Connection = ConnectionType.Direct }), "opening a copy", problems)
                ?? throw new StoreException($"database '{damagedPath}' cannot be read at all ({problems[^1]})"))
            {
                foreach (var pattern in Read(() => source.GetCollection("meta").FindById("redaction")?["patterns"].AsArray.Select(p => p.AsString).ToList() ?? [], "redaction patterns", problems) ?? [])
                {
                    target.AddRedactionPattern(pattern);
                    patterns++;
                }
                var ids = Read(() => source.GetCollection("incidents").FindAll().Select(d => d["_id"].AsString).ToList(), "incident list", problems) ?? [];
                foreach (var id in ids)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var incident = Read(() => LiteDbIncidentStore.FromDocument(source.GetCollection("incidents").FindById(id)), $"incident '{id}'", problems);
                    if (incident is null)
                    {
                        unreadable++;
                        continue;
                    }
                    target.Put(incident);
                    incidents++;
                    var items = new List<Evidence>();
                    Read(() =>
                    {
                        foreach (var doc in source.GetCollection("evidence").Find(Where.StartsWith("_id", id + "/")))
                        {
                            items.Add(LiteDbIncidentStore.FromEvidenceDocument(doc));
                        }
                        return 0;
                    }, $"evidence of '{id}' after E{items.LastOrDefault()?.Number ?? 0}", problems);
                    evidence += target.AddEvidence(items).Added;
                }
            }
            return new SalvageReport(incidents, evidence, patterns, unreadable, problems);
        }
        finally
        {
            File.Delete(scratch);
            File.Delete(Path.ChangeExtension(scratch, null) + "-log.db");
        }
    }

    /// <summary>A copy LiteDB can open: whole pages, a header that counts only the pages there are, no "invalid" mark.</summary>
    private static void PrepareCopy(string damagedPath, string scratch, List<string> problems)
    {
        using (var source = new FileStream(damagedPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var copy = new FileStream(scratch, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            source.CopyTo(copy);
            if (copy.Length < StoreFileCheck.PageSize)
            {
                throw new StoreException($"database '{damagedPath}' is {copy.Length:N0} bytes, less than its first page; nothing in it can be read");
            }
            var pages = copy.Length / StoreFileCheck.PageSize;
            if (copy.Length % StoreFileCheck.PageSize != 0)
            {
                problems.Add($"the last {copy.Length % StoreFileCheck.PageSize:N0} bytes are part of a page cut short and were left out");
                copy.SetLength(pages * StoreFileCheck.PageSize);
            }
            var header = new byte[StoreFileCheck.PageSize];
            copy.Position = 0;
            copy.ReadExactly(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(64)) >= pages)
            {
                problems.Add($"the file holds {pages:N0} pages, fewer than its header counts; the missing ones are lost");
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(64), (uint)(pages - 1));
            }
            // The copy may have its signature restored: only the copy is ever opened.
            System.Text.Encoding.ASCII.GetBytes("** This is a LiteDB file **").CopyTo(header, 32);
            header[59] = 8;
            header[191] = 0;
            copy.Position = 0;
            copy.Write(header);
        }
    }

    /// <summary>One read from the damaged copy; whatever LiteDB throws on a bad page is a problem to report, not a crash.</summary>
    private static T? Read<T>(Func<T> read, string what, List<string> problems)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            problems.Add($"{what}: {e.Message.ReplaceLineEndings(" ")}");
            return default;
        }
    }
}
