namespace Hokusai.Incidents;

/// <summary>How bad the incident is. SEV1 is the worst.</summary>
public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}

public enum IncidentStatus
{
    Investigating,
    Identified,
    Mitigating,
    Resolved,
    Closed,
}

public enum HypothesisStatus
{
    Open,
    Confirmed,
    Refuted,
}

/// <summary>Fix task priority: P1 critical, P2 high, P3 medium, P4 low.</summary>
public enum Priority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}

public enum EvidenceKind
{
    LogExcerpt,
    EcsEvent,
    EndpointCheck,
    CommandOutput,
    Note,
}

public enum TimelineKind
{
    Detection,
    Action,
    Deploy,
    Escalation,
    Communication,
    Mitigation,
    Resolution,
    Observation,
}
