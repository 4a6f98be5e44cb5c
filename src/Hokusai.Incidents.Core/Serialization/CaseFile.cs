using System.Text.Json;
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
        Evidence = [.. store.ListEvidence(id)],
    };

    public string ToJson() => IncidentJson.Serialize(this) + "\n";

    /// <summary>True when the text looks like a case file (a JSON object naming our format), without parsing it all.</summary>
    public static bool LooksLikeCaseFile(string text)
    {
        var t = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return t.StartsWith('{') && t.Contains(FormatName, StringComparison.Ordinal);
    }

    /// <summary>Parses a case file; every problem is one line naming <paramref name="source"/>.</summary>
    public static CaseFile Parse(string text, string source)
    {
        CaseFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CaseFile>(text, IncidentJson.Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new InvalidInputException($"{source}: not a valid case file{where}: {FirstSentence(e.Message)}", e);
        }
        if (file is null)
        {
            throw new InvalidInputException($"{source}: not a valid case file: empty document");
        }
        if (file.Format != FormatName)
        {
            throw new InvalidInputException($"{source}: not a case file (format is '{file.Format}', expected '{FormatName}')");
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
        return file;
    }

    /// <summary>
    /// Stores the case. Importing the same case again changes nothing; a different incident under an
    /// existing id is refused unless <paramref name="replace"/> is set.
    /// </summary>
    public CaseImportResult ImportInto(IIncidentStore store, bool replace)
    {
        // Redact first: the id is looked up, compared and echoed in messages as it will be stored.
        var incident = store.Redactor.RedactRecord(Incident);
        var existing = store.Find(incident.Id);
        var outcome = CaseImportOutcome.Created;
        if (existing is not null)
        {
            if (IncidentJson.Serialize(existing) == IncidentJson.Serialize(incident))
            {
                outcome = CaseImportOutcome.Unchanged;
            }
            else if (!replace)
            {
                throw new InvalidInputException(
                    $"incident '{incident.Id}' already exists and differs from the case file; use --replace to overwrite it");
            }
            else
            {
                outcome = CaseImportOutcome.Replaced;
            }
        }
        if (outcome != CaseImportOutcome.Unchanged)
        {
            incident = store.Put(incident);
        }
        var evidence = store.AddEvidence([.. Evidence.Select(e => e with { IncidentId = incident.Id })]);
        return new CaseImportResult(incident.Id, outcome, evidence.Added, evidence.Skipped);
    }

    private static string FirstSentence(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        var cut = line.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? line[..cut] : line;
    }
}

public enum CaseImportOutcome
{
    Created,
    Unchanged,
    Replaced,
}

public sealed record CaseImportResult(string IncidentId, CaseImportOutcome Outcome, int EvidenceAdded, int EvidenceSkipped);
