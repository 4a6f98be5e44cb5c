using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws;

/// <summary>The log group and stream of a saved logs file, and how they were learned when the file does not say.</summary>
public sealed record LogFileSource(string Group, string? Stream, string? Note)
{
    /// <summary>
    /// AWS CLI logs output names no log group (and get-log-events output no stream either), yet both are
    /// part of an event's identity. They come from --group/--stream, or else from events of the same
    /// stream (or the same first event) already stored with the incident. A file whose group or stream
    /// cannot be learned is refused rather than stored under an identity a later pull would not match.
    /// </summary>
    public static LogFileSource Resolve(IIncidentStore store, string incidentId, string path, AwsCliShape shape, string? group, string? stream, LogEvent? first)
    {
        var fileStream = first?.Stream ?? stream;
        if (first is null)
        {
            // Nothing to store, nothing to identify.
            return new LogFileSource(group ?? "", fileStream, null);
        }
        string? note = null;
        if (group is null || fileStream is null)
        {
            var message = store.Redactor.Redact(LogEventKey.NormaliseMessage(first.Message));
            var time = AwsTime.FromEpochMilliseconds(first.Timestamp);
            var match = store.ListEvidence(incidentId, new EvidenceQuery { Kind = EvidenceKind.LogExcerpt })
                .FirstOrDefault(e => e.Attributes.TryGetValue(EvidenceAttributes.LogGroup, out var g)
                    && (group is null || LogEventKey.NormaliseGroup(group) == g)
                    && e.Attributes.TryGetValue(EvidenceAttributes.LogStream, out var s)
                    && (fileStream is not null ? s == fileStream : e.Time == time && e.Content == message));
            if (match is not null)
            {
                var learned = new List<string>();
                if (group is null)
                {
                    group = match.Attributes[EvidenceAttributes.LogGroup];
                    learned.Add($"log group '{group}'");
                }
                if (fileStream is null)
                {
                    fileStream = match.Attributes[EvidenceAttributes.LogStream];
                    learned.Add($"log stream '{fileStream}'");
                }
                note = $"{string.Join(" and ", learned)} taken from {match.Key}, already stored with the incident";
            }
        }
        var what = shape == AwsCliShape.GetLogEvents ? "aws logs get-log-events" : "aws logs filter-log-events";
        if (group is null)
        {
            throw new InvalidInputException(fileStream is null
                ? $"{path}: {what} output names no log group or stream, and no stored event matches its first; give --group and --stream"
                : $"{path}: {what} output names no log group, and no stored event of stream '{fileStream}' does; give --group");
        }
        if (fileStream is null)
        {
            throw new InvalidInputException($"{path}: {what} output names no log stream, and no stored event of '{group}' matches its first; give --stream");
        }
        return new LogFileSource(group, stream ?? (first.Stream is null ? fileStream : null), note);
    }
}
