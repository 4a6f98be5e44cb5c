using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>The commands end to end through the real CLI, against the fake AWS on 127.0.0.1.</summary>
public sealed class CliCommandTests
{
    private static readonly DateTimeOffset T0 = AwsTestBed.T0;

    private static (CliHarness H, string Id) NewIncident(FakeAwsServer server, bool envKeys = true)
    {
        var h = new CliHarness(T0.AddHours(2));
        if (envKeys)
        {
            h.Variables["AWS_ACCESS_KEY_ID"] = FakeAwsServer.AccessKey;
            h.Variables["AWS_SECRET_ACCESS_KEY"] = FakeAwsServer.SecretKey;
        }
        h.Variables["AWS_REGION"] = server.Region;
        h.Variables["AWS_ENDPOINT_URL"] = server.Endpoint.ToString();
        var id = h.Run("new", "Model registration failure", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        h.Run("hypothesis", "add", id, "MLflow is unreachable").ShouldSucceed();
        return (h, id);
    }

    private static int EvidenceCount(CliHarness h, string id) =>
        h.Run("evidence", "list", id, "--json").ShouldSucceed().Json.GetArrayLength();

    [Fact]
    public async Task Pull_logs_over_several_groups_links_hypotheses_and_prints_a_summary()
    {
        await using var server = new FakeAwsServer();
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 230, T0));
        server.AddLogEvents("/ecs/mlflow", FakeAwsServer.MakeEvents("/ecs/mlflow", 40, T0));
        var (h, id) = NewIncident(server);
        using (h)
        {
            var run = h.Run("pull", "logs", id, "--group", "/ecs/api", "--group", "/ecs/mlflow", "--since", "3h", "--supports", "H1").ShouldSucceed();

            Assert.StartsWith($"Pulled 270 event(s) from 2 log group(s) in 4 page(s) into {id}: 270 added, 0 already stored", run.Out);
            Assert.Equal("", run.Error);
            Assert.Equal(270, h.Run("evidence", "list", id, "--linked-to", "H1", "--json").ShouldSucceed().Json.GetArrayLength());

            var again = h.Run("pull", "logs", id, "--group", "/ecs/api", "--start", "2025-08-20T12:00:00Z", "--end", "2025-08-20T15:00Z", "--json").ShouldSucceed();
            Assert.Equal(0, again.Json.GetProperty("added").GetInt64());
            Assert.Equal(230, again.Json.GetProperty("skipped").GetInt64());
        }
    }

    [Fact]
    public async Task Credentials_come_from_a_profile_in_temporary_shared_files_with_the_region_from_the_config()
    {
        await using var server = new FakeAwsServer();
        server.Keys["AKIAPROFILEKEY000001"] = "profile/secret/abcdefghijklmnopqrstuvwxyz0123";
        server.Keys["AKIADEFAULTKEY000001"] = "default/secret/abcdefghijklmnopqrstuvwxyz012";
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 5, T0));
        var (h, id) = NewIncident(server, envKeys: false);
        using (h)
        {
            h.Variables.Remove("AWS_REGION");
            var credentials = h.PathOf("creds.ini");
            var config = h.PathOf("config.ini");
            await File.WriteAllTextAsync(credentials,
                "[default]\naws_access_key_id = AKIADEFAULTKEY000001\naws_secret_access_key = default/secret/abcdefghijklmnopqrstuvwxyz012\n\n" +
                "[incident-readonly]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile/secret/abcdefghijklmnopqrstuvwxyz0123\n");
            await File.WriteAllTextAsync(config, $"[default]\nregion = us-west-2\n\n[profile incident-readonly]\nregion = {server.Region}\n");
            h.Variables["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
            h.Variables["AWS_CONFIG_FILE"] = config;

            h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h", "--profile", "incident-readonly").ShouldSucceed();
            Assert.All(server.Requests, r => Assert.Equal("AKIAPROFILEKEY000001", r.AccessKey));

            // AWS_PROFILE works like --profile.
            h.Variables["AWS_PROFILE"] = "incident-readonly";
            h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h").ShouldSucceed();
            h.Variables.Remove("AWS_PROFILE");

            // Without a profile the default one signs, and its region (us-west-2) is overridden by --region.
            h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h", "--region", server.Region).ShouldSucceed();
            Assert.Equal("AKIADEFAULTKEY000001", server.Requests.Last().AccessKey);

            var missing = h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h", "--profile", "nope");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.StartsWith("incidents: error: AWS profile 'nope' not found in", missing.Error);
            Assert.Equal(5, EvidenceCount(h, id));
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // the helpers are shell scripts
    public async Task Credentials_come_from_a_credential_process_and_one_printing_no_credentials_is_one_clear_line()
    {
        await using var server = new FakeAwsServer();
        server.Keys["ASIAPROCESSKEY000001"] = "process/secret/abcdefghijklmnopqrstuvwxyz0123";
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 4, T0));
        var (h, id) = NewIncident(server, envKeys: false);
        using (h)
        {
            // What `aws configure export-credentials --format process` and vault tools print: version 1 JSON.
            var signer = Executable(h.PathOf("sso-helper.sh"),
                "printf '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESSKEY000001\", " +
                "\"SecretAccessKey\": \"process/secret/abcdefghijklmnopqrstuvwxyz0123\", \"SessionToken\": \"FwoGZXIvYXdzEXAMPLE\"}'");
            var broken = Executable(h.PathOf("expired-helper.sh"), "echo 'session expired, run login again'");
            var credentials = h.PathOf("creds.ini");
            await File.WriteAllTextAsync(credentials, $"[from-helper]\ncredential_process = {signer}\n\n[expired]\ncredential_process = {broken}\n");
            h.Variables["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
            h.Variables["AWS_CONFIG_FILE"] = h.PathOf("no-config.ini");

            h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h", "--profile", "from-helper").ShouldSucceed();
            Assert.All(server.Requests, r => Assert.Equal("ASIAPROCESSKEY000001", r.AccessKey));

            var failed = h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h", "--profile", "expired");
            Assert.Equal(2, failed.ExitCode);
            var line = Assert.Single(failed.Error.TrimEnd().Split('\n'));
            Assert.StartsWith("incidents: error: AWS profile 'expired' gave no credentials; the AWS SDK says: ", line);
            Assert.Contains("malformed JSON", line, StringComparison.Ordinal);
            Assert.DoesNotContain("[REDACTED]", line, StringComparison.Ordinal);
            Assert.Equal(4, EvidenceCount(h, id));
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static string Executable(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task Credentials_come_from_environment_variables_with_a_session_token()
    {
        await using var server = new FakeAwsServer();
        server.Keys["ASIATEMPORARYKEY0001"] = "temp/secret/abcdefghijklmnopqrstuvwxyz01234";
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 3, T0));
        var (h, id) = NewIncident(server, envKeys: false);
        using (h)
        {
            h.Variables["AWS_ACCESS_KEY_ID"] = "ASIATEMPORARYKEY0001";
            h.Variables["AWS_SECRET_ACCESS_KEY"] = "temp/secret/abcdefghijklmnopqrstuvwxyz01234";
            h.Variables["AWS_SESSION_TOKEN"] = "FwoGZXIvYXdzEtemporarySessionToken";

            h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h").ShouldSucceed();

            Assert.Equal("ASIATEMPORARYKEY0001", Assert.Single(server.Requests).AccessKey);
            Assert.Equal(3, EvidenceCount(h, id));
        }
    }

    [Fact]
    public async Task A_wrong_secret_key_fails_the_signature_check_with_one_line()
    {
        await using var server = new FakeAwsServer();
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 3, T0));
        var (h, id) = NewIncident(server);
        using (h)
        {
            h.Variables["AWS_SECRET_ACCESS_KEY"] = "not/the/right/secret/abcdefghijklmnopqrst";
            var run = h.Run("pull", "logs", id, "--group", "/ecs/api", "--since", "3h");
            Assert.Equal(5, run.ExitCode);
            Assert.Equal("incidents: error: log group '/ecs/api': InvalidSignatureException: The request signature we calculated does not match the signature you provided.\n", run.Error);
        }
    }

    [Fact]
    public async Task Aws_errors_name_the_resource_and_code_exit_non_zero_and_keep_what_was_stored()
    {
        await using var server = new FakeAwsServer();
        server.AddLogEvents("/ecs/api", FakeAwsServer.MakeEvents("/ecs/api", 150, T0));
        server.AddLogEvents("/secret/group", FakeAwsServer.MakeEvents("/secret/group", 10, T0));
        server.DeniedGroups["/secret/group"] = true;
        EcsPullTests.Seed(server, stoppedTasks: 2);
        var (h, id) = NewIncident(server);
        using (h)
        {
            var denied = h.Run("pull", "logs", id, "--group", "/ecs/api", "--group", "/secret/group", "--since", "3h");
            Assert.Equal(5, denied.ExitCode);
            Assert.StartsWith("incidents: error: log group '/secret/group': AccessDeniedException: User is not authorized", denied.Error);
            Assert.Single(denied.Error.TrimEnd('\n').Split('\n'));
            Assert.Equal(150, EvidenceCount(h, id));

            var missing = h.Run("pull", "logs", id, "--group", "/ecs/nothing", "--since", "3h");
            Assert.Equal(5, missing.ExitCode);
            Assert.Equal("incidents: error: log group '/ecs/nothing': ResourceNotFoundException: The specified log group does not exist.\n", missing.Error);

            var cluster = h.Run("pull", "ecs", id, "--cluster", "no-such-cluster", "--service", "api");
            Assert.Equal(5, cluster.ExitCode);
            Assert.Equal("incidents: error: ECS cluster 'no-such-cluster': ClusterNotFoundException: Cluster not found.\n", cluster.Error);

            server.ExpiredKeys[FakeAwsServer.AccessKey] = true;
            var expired = h.Run("pull", "ecs", id, "--cluster", EcsPullTests.Cluster, "--service", EcsPullTests.Service);
            Assert.Equal(5, expired.ExitCode);
            Assert.Equal($"incidents: error: ECS service '{EcsPullTests.Service}' in cluster '{EcsPullTests.Cluster}': ExpiredTokenException: The security token included in the request is expired\n", expired.Error);
            Assert.Equal(150, EvidenceCount(h, id));
        }
    }

    [Fact]
    public async Task Pull_ecs_stores_service_and_stopped_task_evidence()
    {
        await using var server = new FakeAwsServer();
        EcsPullTests.Seed(server, stoppedTasks: 4);
        var (h, id) = NewIncident(server);
        using (h)
        {
            var run = h.Run("pull", "ecs", id, "--cluster", EcsPullTests.Cluster, "--service", EcsPullTests.Service, "--supports", "H1").ShouldSucceed();

            Assert.Contains("4 stopped task(s)", run.Out);
            var list = h.Run("evidence", "list", id, "--kind", "ecs-event", "--json").ShouldSucceed().Json;
            Assert.Equal(4 + 2 + 1 + 1, list.GetArrayLength());
        }
    }

    [Fact]
    public async Task Attach_shows_a_bar_of_events_stored_on_a_terminal_and_nothing_when_piped()
    {
        await using var server = new FakeAwsServer();
        var (h, id) = NewIncident(server);
        using (h)
        {
            var sample = Path.Combine(AppContext.BaseDirectory, "Samples", "filter-log-events.json");
            Assert.Equal("", h.Run("attach", id, sample, "--group", "/ecs/a").ShouldSucceed().Error);

            h.ErrorIsTerminal = true;
            var shown = h.Run("attach", id, sample, "--group", "/ecs/b");
            Assert.Equal(0, shown.ExitCode);
            Assert.Contains("Attaching: 3/3 events", shown.Error, StringComparison.Ordinal);
            Assert.StartsWith("Attached aws logs filter-log-events output", shown.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Attach_recognises_each_sample_file_and_rejects_an_unknown_shape()
    {
        await using var server = new FakeAwsServer();
        var (h, id) = NewIncident(server);
        using (h)
        {
            string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);
            Assert.Equal("Attached aws logs filter-log-events output to " + id + ": 3 item(s), 3 added, 0 already stored.\n",
                h.Run("attach", id, Sample("filter-log-events.json"), "--group", "/ecs/hokusai-api-development").ShouldSucceed().Out);
            Assert.Contains("aws logs get-log-events", h.Run("attach", id, Sample("get-log-events.json"), "--group", "/ecs/mlflow", "--stream", "m/1").ShouldSucceed().Out);
            Assert.Contains("aws ecs describe-services", h.Run("attach", id, Sample("describe-services.json")).ShouldSucceed().Out);
            var tasks = h.Run("attach", id, Sample("describe-tasks.json"), "--json", "--supports", "H1").ShouldSucceed().Json;
            Assert.Equal("aws ecs describe-tasks", tasks.GetProperty("shape").GetString());

            var odd = h.PathOf("clusters.json");
            await File.WriteAllTextAsync(odd, "{\"clusters\":[]}");
            var bad = h.Run("attach", id, odd);
            Assert.Equal(2, bad.ExitCode);
            Assert.StartsWith($"incidents: error: {odd}: not AWS CLI output this command knows", bad.Error);
            var broken = h.PathOf("broken.json");
            await File.WriteAllTextAsync(broken, "{\"events\": [");
            Assert.StartsWith($"incidents: error: {broken}: not valid JSON", h.Run("attach", id, broken).Error);
            Assert.Equal(3 + 2 + 4 + 1, EvidenceCount(h, id));
        }
    }

    [Fact]
    public async Task Check_stores_200_404_timeout_and_refused_as_endpoint_evidence()
    {
        await using var web = new LocalHttpServer(r => Task.FromResult(r.Path switch
        {
            "/health" => new HttpResponseData(200, "ok", "text/plain"),
            "/slow" => new HttpResponseData(200, "late", "text/plain") { Delay = TimeSpan.FromSeconds(6) },
            _ => new HttpResponseData(404, "nope", "text/plain"),
        }));
        await using var server = new FakeAwsServer();
        var (h, id) = NewIncident(server);
        using (h)
        {
            var closed = new TcpListener(IPAddress.Loopback, 0);
            closed.Start();
            var refusedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
            closed.Stop();
            var health = new Uri(web.Endpoint, "/health").ToString();
            var missing = new Uri(web.Endpoint, "/api/models").ToString();
            var slow = new Uri(web.Endpoint, "/slow").ToString();
            var refused = $"http://127.0.0.1:{refusedPort}/health";

            // 2 s, not less: the first request of a cold test process (JIT, first connection) can take half a second.
            var run = h.Run("check", id, health, missing, slow, refused, "--timeout", "2s", "--expect", "200", "--supports", "H1", "--json").ShouldSucceed();

            var results = run.Json.EnumerateArray().ToDictionary(r => r.GetProperty("url").GetString()!, r => r);
            Assert.Equal("ok", results[health].GetProperty("outcome").GetString());
            Assert.Equal(200, results[health].GetProperty("statusCode").GetInt32());
            Assert.Equal("unexpected-status", results[missing].GetProperty("outcome").GetString());
            Assert.Equal(404, results[missing].GetProperty("statusCode").GetInt32());
            Assert.Equal("timeout", results[slow].GetProperty("outcome").GetString());
            Assert.InRange(results[slow].GetProperty("latencyMs").GetDouble(), 1900, 5900);
            Assert.Equal("connection-refused", results[refused].GetProperty("outcome").GetString());

            var stored = h.Run("evidence", "list", id, "--kind", "endpoint-check", "--json").ShouldSucceed().Json.EnumerateArray().ToList();
            Assert.Equal(4, stored.Count);
            var notFound = stored.Single(e => e.GetProperty("source").GetString() == missing);
            Assert.Equal("404", notFound.GetProperty("attributes").GetProperty(EvidenceAttributes.StatusCode).GetString());
            Assert.Equal("2", notFound.GetProperty("attributes").GetProperty(EvidenceAttributes.TimeoutSeconds).GetString());
            Assert.Equal("H1", notFound.GetProperty("supports")[0].GetString());

            // Asked to, check fails a script while anything is unhealthy, and still keeps every result.
            // (Each round a minute later: probes alike in time and latency are one piece of evidence.)
            h.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(0, h.Run("check", id, health, "--fail-unhealthy").ExitCode);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
            var down = h.Run("check", id, health, missing, "--fail-unhealthy");
            Assert.Equal(6, down.ExitCode);
            Assert.Equal("", down.Error);
            Assert.Equal(4 + 1 + 2, h.Run("evidence", "list", id, "--kind", "endpoint-check", "--json").ShouldSucceed().Json.GetArrayLength());

            var badUrl = h.Run("check", id, "ftp://example.com");
            Assert.Equal(2, badUrl.ExitCode);
            Assert.Equal("incidents: error: invalid URL 'ftp://example.com': expected http:// or https://\n", badUrl.Error);
        }
    }

    [Fact]
    public async Task Bad_time_windows_and_limits_are_one_line_errors()
    {
        await using var server = new FakeAwsServer();
        var (h, id) = NewIncident(server);
        using (h)
        {
            var both = h.Run("pull", "logs", id, "--group", "/g", "--since", "2h", "--start", "2025-08-20T10:00Z");
            Assert.Equal("incidents: error: invalid time window: give --since or --start/--end, not both\n", both.Error);
            var limit = h.Run("pull", "logs", id, "--group", "/g", "--limit", "0");
            Assert.Equal(2, limit.ExitCode);
            Assert.Empty(server.Requests);
        }
    }
}
