using System.Globalization;

namespace Hokusai.Incidents.Aws;

/// <summary>One CloudWatch Logs event as FilterLogEvents or GetLogEvents return it.</summary>
public sealed record LogEvent(string? Group, string? Stream, long Timestamp, long? IngestionTime, string? EventId, string Message)
{
    /// <summary>
    /// The event as log evidence. CloudWatch event ids are unique across groups, so the dedup key is the
    /// id alone and a pulled event and the same event attached from a saved file are one piece of evidence.
    /// </summary>
    public Evidence ToEvidence(string incidentId, IReadOnlyList<string> supports)
    {
        var attributes = new Dictionary<string, string>(4);
        if (Group is not null)
        {
            attributes[EvidenceAttributes.LogGroup] = Group;
        }
        if (Stream is not null)
        {
            attributes[EvidenceAttributes.LogStream] = Stream;
        }
        if (EventId is not null)
        {
            attributes[EvidenceAttributes.EventId] = EventId;
        }
        if (IngestionTime is { } ingested)
        {
            attributes[EvidenceAttributes.IngestionTime] = TimeInput.Format(AwsTime.FromEpochMilliseconds(ingested));
        }
        return new Evidence
        {
            IncidentId = incidentId,
            Kind = EvidenceKind.LogExcerpt,
            Source = Group ?? Stream,
            Time = AwsTime.FromEpochMilliseconds(Timestamp),
            Content = Message.TrimEnd('\r', '\n'),
            Supports = supports,
            Attributes = attributes,
            DedupKey = EventId is not null ? "cwl:" + EventId
                : Group is not null && Stream is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"cwl:{Group}:{Stream}:{Timestamp}:{Hash(Message)}")
                    : null,
        };
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
}
