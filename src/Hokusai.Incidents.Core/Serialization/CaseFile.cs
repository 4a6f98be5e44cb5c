using System.Text.Json;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Serialization;

/// <summary>
/// A portable, versioned JSON file holding one incident with all its evidence: what
/// <c>incidents export</c> writes and <c>incidents import</c> reads. It carries no export time,
/// so exporting the same incident twice gives the same bytes.
/// </summary>
public sealed record CaseFile
{
    public const string FormatName = "hokusai-incidents-case";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;
    public required Incident Incident { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    public static CaseFile FromStore(IIncidentStore store, string id) => new()
    {
        Incident = store.Get(id),
        Evidence = [.. store.ReadEvidence(id)],
    };

    public string ToJson() => IncidentJson.Serialize(this) + "\n";

    /// <summary>True when the text looks like a case file (a JSON object naming our format), without parsing it all.</summary>
    public static bool LooksLikeCaseFile(string text)
    {
        var t = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return t.StartsWith('{') && t.Contains(FormatName, StringComparison.Ordinal);
    }

    /// <summary>
    /// Parses and checks a case file; every problem is one line naming <paramref name="source"/>, found
    /// before anything is written.
    /// </summary>
    public static CaseFile Parse(string text, string source) =>
        Parse(() => JsonSerializer.Deserialize(text, IncidentJson.Options.TypeInfo<WireCaseFile>()), source);

    /// <summary>
    /// Parses a case file of any size straight from a stream: no copy of the text is held beside the
    /// records it becomes (an export of tens of thousands of log events runs to tens of megabytes).
    /// </summary>
    public static CaseFile Parse(Stream stream, string source) =>
        Parse(() => JsonSerializer.Deserialize(stream, IncidentJson.Options.TypeInfo<WireCaseFile>()), source);

    /// <summary>
    /// The file as written, before defaults: a missing "format" or "version" must be refused, not filled
    /// in by the record's defaults.
    /// </summary>
    internal sealed record WireCaseFile
    {
        public string? Format { get; init; }
        public int? Version { get; init; }
        public Incident? Incident { get; init; }
        public List<Evidence>? Evidence { get; init; }
    }

    private static CaseFile Parse(Func<WireCaseFile?> read, string source)
    {
        CaseFile file;
        try
        {
            var wire = read();
            if (wire is null)
            {
                throw new InvalidInputException($"{source}: not a valid case file: empty document");
            }
            if (wire.Format is null)
            {
                throw new InvalidInputException($"{source}: not a case file (no \"format\": \"{FormatName}\")");
            }
            if (wire.Version is null)
            {
                throw new InvalidInputException($"{source}: case file has no version number");
            }
            if (wire.Incident is null)
            {
                throw new InvalidInputException($"{source}: the case file has no incident");
            }
            file = new CaseFile
            {
                Format = wire.Format,
                Version = wire.Version.Value,
                Incident = wire.Incident,
                Evidence = wire.Evidence ?? [],
            };
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new InvalidInputException($"{source}: not a valid case file{where}: {FirstSentence(e.Message)}", e);
        }
        if (file.Format != FormatName)
        {
            throw new InvalidInputException($"{source}: not a case file (format is '{file.Format}', expected '{FormatName}')");
        }
        if (file.Version < 1)
        {
            throw new InvalidInputException($"{source}: case file version {file.Version} is not valid (versions start at 1)");
        }
        if (file.Version > CurrentVersion)
        {
            throw new InvalidInputException($"{source}: case file version {file.Version} is newer than this tool reads ({CurrentVersion})");
        }
        if (string.IsNullOrWhiteSpace(file.Incident.Id))
        {
            throw new InvalidInputException($"{source}: the incident has no id");
        }
        if (file.Evidence.FirstOrDefault(e => e.IncidentId != file.Incident.Id) is { } stray)
        {
            throw new InvalidInputException(
                $"{source}: evidence E{stray.Number} belongs to '{stray.IncidentId}', not '{file.Incident.Id}'");
        }
        if (CaseFileRules.Problem(file) is { } problem)
        {
            throw new InvalidInputException($"{source}: {problem}");
        }
        return file;
    }

    /// <summary>
    /// Stores the case under its normalised id. Importing the same case again changes nothing; a
    /// different incident under an id that normalises to an existing one is refused unless
    /// <paramref name="replace"/> is set, and then replaces the record and all its evidence.
    /// </summary>
    public CaseImportResult ImportInto(IIncidentStore store, bool replace)
    {
        var incident = store.Redactor.RedactRecord(Incident);
        var id = Slug.Normalise(incident.Id);
        incident = incident with { Id = id };
        var evidence = Evidence.Select(e => e with { IncidentId = id }).ToList();
        var existing = store.Find(id);
        if (existing is not null && IncidentJson.Serialize(existing) == IncidentJson.Serialize(incident))
        {
            var added = store.AddEvidence(evidence);
            return new CaseImportResult(id, CaseImportOutcome.Unchanged, added.Added, added.Skipped, 0);
        }
        if (existing is not null && !replace)
        {
            var typed = store.Redactor.Redact(Incident.Id);
            var under = id == typed ? "" : $" (its id '{typed}' is stored as '{id}')";
            throw new InvalidInputException(
                $"incident '{id}' already exists and differs from the case file{under}; use --replace to overwrite it and its evidence");
        }
        var result = store.Replace(incident, evidence);
        return new CaseImportResult(id, existing is null ? CaseImportOutcome.Created : CaseImportOutcome.Replaced,
            result.Evidence.Added, result.Evidence.Skipped, result.EvidenceRemoved);
    }

    private static string FirstSentence(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        var cut = line.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? line[..cut] : line;
    }
}

[JsonConverter(typeof(KebabCaseEnumConverter<CaseImportOutcome>))]
public enum CaseImportOutcome
{
    Created,
    Unchanged,
    Replaced,
}

/// <summary>What an import did; <paramref name="EvidenceRemoved"/> counts the replaced record's old evidence.</summary>
public sealed record CaseImportResult(string IncidentId, CaseImportOutcome Outcome, int EvidenceAdded, int EvidenceSkipped, int EvidenceRemoved);
