using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hokusai.Incidents.Aws;

/// <summary>The ECS operations a pull uses. Responses stay JSON: mapping to evidence reads them directly.</summary>
public sealed class EcsApi(AwsJsonClient client)
{
    public AwsJsonClient Client { get; } = client;

    /// <summary>DescribeServices takes at most 10 services per call.</summary>
    public Task<JsonDocument> DescribeServicesAsync(string cluster, IReadOnlyList<string> services, CancellationToken cancellationToken) =>
        Client.SendAsync(AwsService.Ecs, "DescribeServices", new JsonObject
        {
            ["cluster"] = cluster,
            ["services"] = new JsonArray([.. services.Select(s => (JsonNode)JsonValue.Create(s))]),
        }, cancellationToken);

    /// <summary>All STOPPED task ARNs of a service, following nextToken.</summary>
    public async Task<IReadOnlyList<string>> ListStoppedTasksAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        string? token = null;
        do
        {
            var body = new JsonObject
            {
                ["cluster"] = cluster,
                ["serviceName"] = service,
                ["desiredStatus"] = "STOPPED",
                ["maxResults"] = 100,
            };
            if (token is not null)
            {
                body["nextToken"] = token;
            }
            using var doc = await Client.SendAsync(AwsService.Ecs, "ListTasks", body, cancellationToken).ConfigureAwait(false);
            if (doc.RootElement.TryGetProperty("taskArns", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                arns.AddRange(list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!));
            }
            token = doc.RootElement.TryGetProperty("nextToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return arns;
    }

    /// <summary>DescribeTasks takes at most 100 tasks per call.</summary>
    public Task<JsonDocument> DescribeTasksAsync(string cluster, IReadOnlyList<string> tasks, CancellationToken cancellationToken) =>
        Client.SendAsync(AwsService.Ecs, "DescribeTasks", new JsonObject
        {
            ["cluster"] = cluster,
            ["tasks"] = new JsonArray([.. tasks.Select(s => (JsonNode)JsonValue.Create(s))]),
        }, cancellationToken);
}
