using Hokusai.Incidents.Import.Syntax;
using Hokusai.Incidents.Import.Timeline;
using Markdig.Extensions.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hokusai.Incidents.Import.Fields;

/// <summary>
/// The YAML block some teams open a postmortem with (title, date, authors, tags, severity, status,
/// services…), read with YamlDotNet. Keys it has no field for are kept as a note, so nothing is lost.
/// </summary>
public static class FrontMatter
{
    /// <summary>Applies the block to the draft; returns the title it gives, if any.</summary>
    public static string? Apply(YamlFrontMatterBlock block, string source, DocumentDraft draft)
    {
        var path = new HeadingPath([new Heading(1, "Front matter")]);
        var yaml = string.Join('\n', block.Lines.Lines.Take(block.Lines.Count).Select(l => l.ToString()));
        YamlMappingNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        }
        catch (YamlException)
        {
            root = null;
        }
        if (root is null)
        {
            draft.AddNote(path, source);
            return null;
        }
        string? title = null;
        var unknown = new List<string>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value?.Trim().ToLowerInvariant() ?? "";
            var values = Values(valueNode);
            var value = string.Join(", ", values);
            if (value.Length == 0)
            {
                continue;
            }
            var used = true;
            switch (key)
            {
                case "title" or "name" or "incident":
                    title = value;
                    break;
                case "date" or "incident_date" or "incident-date" or "day" when ClockText.TryDate(value, out var day):
                    draft.Day = day;
                    draft.IncidentDay = day;
                    break;
                case "severity" or "sev" or "priority" or "level" when FieldRecogniser.SeverityOf(value) is { } severity:
                    draft.Severity = severity;
                    break;
                case "status" or "state" when FieldRecogniser.StatusOf(value) is { } status:
                    draft.Status = status;
                    break;
                case "tags" or "labels" or "categories" or "keywords":
                    draft.Change(i => i with { Tags = [.. i.Tags, .. values] });
                    break;
                case "services" or "service" or "systems" or "components" or "affected_services" or "affected-services":
                    draft.Change(i => i with { Components = i.Components with { Services = [.. i.Components.Services, .. values] } });
                    break;
                case "summary" or "description" or "tldr":
                    draft.Change(i => i with { Summary = DocumentDraft.Append(i.Summary, value) });
                    break;
                case "timezone" or "time_zone" or "tz" when ClockText.Zone(value) is { } zone:
                    draft.Zone = zone;
                    break;
                case "duration" when TimelineRecogniser.DurationOf(value) is { } span:
                    draft.Duration = span;
                    break;
                default:
                    used = false;
                    break;
            }
            if (!used)
            {
                // Authors, reviewers, links: kept as the author wrote them.
                unknown.Add($"{(keyNode as YamlScalarNode)?.Value}: {value}");
            }
        }
        if (unknown.Count > 0)
        {
            draft.AddNote(path, string.Join('\n', unknown.Select(u => "- " + u)));
        }
        draft.Place(path, "field:front-matter");
        return title;
    }

    private static IReadOnlyList<string> Values(YamlNode node) => node switch
    {
        YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [s.Value!.Trim()],
        YamlSequenceNode seq => [.. seq.Children.SelectMany(Values)],
        YamlMappingNode map => [.. map.Children.Select(kv => $"{(kv.Key as YamlScalarNode)?.Value}: {string.Join(", ", Values(kv.Value))}")],
        _ => [],
    };
}
