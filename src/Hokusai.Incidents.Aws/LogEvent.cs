namespace Hokusai.Incidents.Aws;

/// <summary>One CloudWatch Logs event as FilterLogEvents or GetLogEvents return it.</summary>
public sealed record LogEvent(string? Group, string? Stream, long Timestamp, long? IngestionTime, string? EventId, string Message)
{
    /// <summary>
    /// The event as log evidence, keyed by <see cref="LogEventKey"/>: a pulled event and the same event
    /// attached from a saved file are one piece of evidence, and the n-th of several identical events
    /// (counted by <paramref name="occurrences"/>, one counter per source) is the n-th piece.
    /// </summary>
    public Evidence ToEvidence(string incidentId, IReadOnlyList<string> supports, LogEventOccurrences occurrences)
    {
        var attributes = new Dictionary<string, string>(4);
        var group = Group is null ? null : LogEventKey.NormaliseGroup(Group);
        if (group is not null)
        {
            attributes[EvidenceAttributes.LogGroup] = group;
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
        string? key = null;
        if (group is not null && Stream is not null)
        {
            var identity = LogEventKey.Identity(group, Stream, Timestamp, IngestionTime, Message);
            key = LogEventKey.For(identity, occurrences.Next(identity, Timestamp));
        }
        return new Evidence
        {
            IncidentId = incidentId,
            Kind = EvidenceKind.LogExcerpt,
            Source = group ?? Stream,
            Time = AwsTime.FromEpochMilliseconds(Timestamp),
            Content = LogEventKey.NormaliseMessage(Message),
            Supports = supports,
            Attributes = attributes,
            DedupKey = key,
        };
    }
}
