using System.Globalization;

namespace Hokusai.Incidents;

/// <summary>
/// Turns the words people type (<c>critical</c>, <c>SEV2</c>, <c>P1</c>, <c>H3</c>) into model values,
/// and model values back into the words shown. Every parser names the bad input in its error.
/// </summary>
public static class Vocabulary
{
    public static Severity ParseSeverity(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sev1" or "sev-1" or "1" or "critical" => Severity.Sev1,
        "sev2" or "sev-2" or "2" or "high" => Severity.Sev2,
        "sev3" or "sev-3" or "3" or "medium" => Severity.Sev3,
        "sev4" or "sev-4" or "4" or "low" => Severity.Sev4,
        _ => throw new InvalidInputException($"invalid severity '{text}': use SEV1–SEV4 or critical, high, medium, low"),
    };

    public static IncidentStatus ParseStatus(string text) =>
        ParseEnum<IncidentStatus>(text, "status");

    public static HypothesisStatus ParseHypothesisStatus(string text) =>
        ParseEnum<HypothesisStatus>(text, "hypothesis status");

    public static TimelineKind ParseTimelineKind(string text) =>
        ParseEnum<TimelineKind>(text, "timeline kind");

    public static ComponentHealth ParseHealth(string text) =>
        ParseEnum<ComponentHealth>(text, "health");

    public static Priority ParsePriority(string text) => text.Trim().ToLowerInvariant() switch
    {
        "p1" or "1" or "critical" or "p0" => Priority.P1,
        "p2" or "2" or "high" => Priority.P2,
        "p3" or "3" or "medium" => Priority.P3,
        "p4" or "4" or "low" => Priority.P4,
        _ => throw new InvalidInputException($"invalid priority '{text}': use P1–P4 or critical, high, medium, low"),
    };

    public static EvidenceKind ParseEvidenceKind(string text) => text switch
    {
        // The stored words first: every evidence item read from the store passes through here.
        "log-excerpt" => EvidenceKind.LogExcerpt,
        "ecs-event" => EvidenceKind.EcsEvent,
        "endpoint-check" => EvidenceKind.EndpointCheck,
        "command-output" => EvidenceKind.CommandOutput,
        "note" => EvidenceKind.Note,
        _ => ParseTypedEvidenceKind(text),
    };

    private static EvidenceKind ParseTypedEvidenceKind(string text) => Squash(text) switch
    {
        "log" or "logs" or "logexcerpt" => EvidenceKind.LogExcerpt,
        "ecs" or "ecsevent" => EvidenceKind.EcsEvent,
        "endpoint" or "endpointcheck" or "check" => EvidenceKind.EndpointCheck,
        "command" or "commandoutput" or "output" => EvidenceKind.CommandOutput,
        "note" => EvidenceKind.Note,
        _ => throw new InvalidInputException(
            $"invalid evidence kind '{text}': use log-excerpt, ecs-event, endpoint-check, command-output or note"),
    };

    /// <summary>Parses <c>H3</c>, <c>h3</c> or <c>3</c>.</summary>
    public static int ParseHypothesisNumber(string text) => ParseNumbered(text, 'H', "hypothesis");

    /// <summary>Parses <c>T12</c>, <c>t12</c> or <c>12</c>.</summary>
    public static int ParseTaskNumber(string text) => ParseNumbered(text, 'T', "task");

    /// <summary>Parses <c>E7</c>, <c>e7</c> or <c>7</c>.</summary>
    public static long ParseEvidenceNumber(string text) => ParseNumbered(text, 'E', "evidence");

    /// <summary>Normalises a link target to <c>H3</c> or <c>T12</c>.</summary>
    public static string ParseLinkTarget(string text)
    {
        var t = text.Trim();
        if (t.Length > 1 && char.ToUpperInvariant(t[0]) is 'H' or 'T'
            && int.TryParse(t.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return $"{char.ToUpperInvariant(t[0])}{n}";
        }
        throw new InvalidInputException($"invalid link target '{text}': use a hypothesis (H2) or a task (T5)");
    }

    /// <summary>The lower-case, hyphenated word used for an enum value in JSON, tables and templates.</summary>
    public static string Word<T>(T value) where T : struct, Enum =>
        Words<T>.Known.TryGetValue(value, out var word) ? word : Kebab(value.ToString());

    // Words are asked for per evidence item and per template value: worked out once per enum value.
    private static class Words<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Known = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => Kebab(v.ToString()));
    }

    public static string Label(Severity severity) => $"SEV{(int)severity}";

    /// <summary>"P1"…"P4", or empty for a task nobody gave a priority.</summary>
    public static string Label(Priority? priority) => priority is { } p ? $"P{(int)p}" : "";

    /// <summary>"Critical"…"Low", or empty for a task nobody gave a priority.</summary>
    public static string PriorityName(Priority? priority) => priority switch
    {
        null => "",
        Priority.P1 => "Critical",
        Priority.P2 => "High",
        Priority.P3 => "Medium",
        _ => "Low",
    };

    internal static string Kebab(string pascal)
    {
        var chars = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0 && !char.IsDigit(pascal[i - 1]))
            {
                chars.Append('-');
            }
            chars.Append(char.ToLowerInvariant(c));
        }
        return chars.ToString();
    }

    private static T ParseEnum<T>(string text, string what) where T : struct, Enum
    {
        var squashed = Squash(text);
        foreach (var value in Enum.GetValues<T>())
        {
            if (Squash(value.ToString()) == squashed)
            {
                return value;
            }
        }
        var names = string.Join(", ", Enum.GetValues<T>().Select(Word));
        throw new InvalidInputException($"invalid {what} '{text}': use one of {names}");
    }

    private static string Squash(string text) =>
        new(text.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static int ParseNumbered(string text, char prefix, string what)
    {
        var t = text.Trim();
        var digits = t.Length > 0 && char.ToUpperInvariant(t[0]) == prefix ? t.AsSpan(1) : t.AsSpan();
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }
        throw new InvalidInputException($"invalid {what} number '{text}': expected {prefix}1, {prefix}2…");
    }
}
