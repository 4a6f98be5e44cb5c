using System.Text.Json.Serialization;
using Hokusai.Incidents.Serialization;
namespace Hokusai.Incidents;

/// <summary>How bad the incident is. SEV1 is the worst.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Severity>))]
public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}

[JsonConverter(typeof(KebabCaseEnumConverter<IncidentStatus>))]
public enum IncidentStatus
{
    Investigating,
    Identified,
    Mitigating,
    Resolved,
    Closed,
}

[JsonConverter(typeof(KebabCaseEnumConverter<HypothesisStatus>))]
public enum HypothesisStatus
{
    Open,
    Confirmed,
    Refuted,
}

/// <summary>Fix task priority: P1 critical, P2 high, P3 medium, P4 low.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Priority>))]
public enum Priority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}

[JsonConverter(typeof(KebabCaseEnumConverter<EvidenceKind>))]
public enum EvidenceKind
{
    LogExcerpt,
    EcsEvent,
    EndpointCheck,
    CommandOutput,
    Note,
}

// Numbered from 1 so that 0 can only mean "not given": see TimelineEntry.Kind.
[JsonConverter(typeof(KebabCaseEnumConverter<TimelineKind>))]
public enum TimelineKind
{
    Detection = 1,
    Action,
    Deploy,
    Escalation,
    Communication,
    Mitigation,
    Resolution,
    Observation,
}
