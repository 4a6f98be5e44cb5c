using System.Text.Json;
using System.Text.Json.Serialization;
using Hokusai.Incidents.Analysis;
using Hokusai.Incidents.Aws;
using Hokusai.Incidents.Cli.Commands;
using Hokusai.Incidents.Reports;
using Hokusai.Incidents.Serialization;
using Hokusai.Incidents.Sharing;

namespace Hokusai.Incidents.Cli;

/// <summary>
/// What the commands print with <c>--json</c>: the model's JSON settings, over code generated at build
/// time for each record printed. A record a command starts printing must be added below; the command's
/// tests fail until it is.
/// </summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = IncidentJson.With(CliJsonContext.Default);
}

[JsonSerializable(typeof(EcsPullResult))]
[JsonSerializable(typeof(InsightsResult))]
[JsonSerializable(typeof(PullResult))]
[JsonSerializable(typeof(EvidenceAddOutput))]
[JsonSerializable(typeof(EvidencePullCommands.AttachOutput))]
[JsonSerializable(typeof(List<EvidencePullCommands.CheckOutput>))]
[JsonSerializable(typeof(IncidentReport))]
[JsonSerializable(typeof(SyncReport))]
[JsonSerializable(typeof(IReadOnlyList<EvidenceMatch>))]
[JsonSerializable(typeof(IReadOnlyList<LintFinding>))]
[JsonSerializable(typeof(IReadOnlyList<TimelineSuggestion>))]
[JsonSerializable(typeof(IReadOnlyList<BacklogItem>))]
[JsonSerializable(typeof(List<IncidentListItem>))]
[JsonSerializable(typeof(List<LiveCommands.StateOutput>))]
[JsonSerializable(typeof(List<SimilarWithHistory>))]
[JsonSerializable(typeof(List<object>))]
[JsonSerializable(typeof(ImportCommand.CaseFileReport))]
[JsonSerializable(typeof(ImportCommand.MarkdownFileReport))]
[JsonSerializable(typeof(ImportCommand.SkippedFileReport))]
[JsonSerializable(typeof(ImportCommand.FailedFileReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
