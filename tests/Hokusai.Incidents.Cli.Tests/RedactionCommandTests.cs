using System.Text;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

public sealed class RedactionCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public static TheoryData<string> SecretKinds => new()
    {
        "hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "Bearer abcdefghijklmnop0123456789",
        "https://admin:Pa55w0rdInUrl@registry.hokus.ai/api",
        "Host=db;Username=mlflow;Password=ConnStr1ngPw",
        "password=plainPairPw99",
        "secret=plainPairSecret77",
    };

    [Theory]
    [MemberData(nameof(SecretKinds))]
    public void Secrets_typed_anywhere_never_reach_the_database_file(string secret)
    {
        var id = _cli.Run("new", "Leak test " + secret, "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        _cli.Run("update", id, "--summary", "saw " + secret, "--error-message", secret).ShouldSucceed();
        _cli.Run("hypothesis", "add", id, "Key " + secret, "--command", "curl -H 'X: " + secret + "'").ShouldSucceed();
        _cli.Run("task", "add", id, "Rotate " + secret).ShouldSucceed();
        _cli.Run("timeline", "add", id, "--at", "1h", "Pasted " + secret).ShouldSucceed();
        _cli.RunWithInput("log line " + secret, "evidence", "add", id, "--kind", "log").ShouldSucceed();

        var stored = Encoding.UTF8.GetString(File.ReadAllBytes(_cli.DatabasePath));
        var secretPart = SecretPart(secret);
        Assert.DoesNotContain(secretPart, stored);
        var shown = _cli.Run("export", id).ShouldSucceed().Out;
        Assert.DoesNotContain(secretPart, shown);
        Assert.Contains("[REDACTED]", shown);
    }

    [Fact]
    public void Extra_patterns_kept_in_the_database_apply_to_later_writes()
    {
        _cli.Run("redaction", "add", "INC-[0-9]{5}").ShouldSucceed();
        var json = _cli.Run("new", "Customer INC-48213 reported it", "--json").ShouldSucceed().Json;
        Assert.Equal("Customer [REDACTED] reported it", json.GetProperty("title").GetString());
        Assert.Equal(["INC-[0-9]{5}"], _cli.Run("redaction", "list", "--json").Json.EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("redaction pattern", _cli.Run("redaction", "add", "([").Error);
    }

    [Fact]
    public void A_pattern_that_times_out_is_refused_when_added()
    {
        var run = _cli.Run("redaction", "add", "(a+)+$");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("incidents: error: redaction pattern '(a+)+$' took over 1 s on a sample line (catastrophic backtracking); not added", run.Error.TrimEnd());
        Assert.Equal(0, _cli.Run("redaction", "list", "--json").ShouldSucceed().Json.GetArrayLength());
    }

    [Fact]
    public void A_stored_pattern_that_times_out_can_be_listed_and_removed()
    {
        // As an older version could have stored it, without the trial run.
        _cli.Run("list").ShouldSucceed();
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = _cli.DatabasePath, Connection = LiteDB.ConnectionType.Shared }))
        {
            db.GetCollection("meta").Upsert(new LiteDB.BsonDocument { ["_id"] = "redaction", ["patterns"] = new LiteDB.BsonArray(new LiteDB.BsonValue("(a+)+$")) });
        }
        var write = _cli.Run("new", new string('a', 40) + "!");
        Assert.Equal(2, write.ExitCode);
        Assert.Single(write.Error.TrimEnd().Split('\n'));
        Assert.Contains("remove it with: incidents redaction remove '(a+)+$'", write.Error);
        Assert.Empty(_cli.Run("list", "--json").ShouldSucceed().Json.EnumerateArray());

        Assert.Equal(["(a+)+$"], _cli.Run("redaction", "list", "--json").ShouldSucceed().Json.EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("(a+)+$\n", _cli.Run("redaction", "list").ShouldSucceed().Out);
        _cli.Run("redaction", "remove", "(a+)+$").ShouldSucceed();
        _cli.Run("new", new string('a', 40) + "!").ShouldSucceed();
        Assert.Equal(3, _cli.Run("redaction", "remove", "(a+)+$").ExitCode);
    }

    private static string SecretPart(string secret) => secret switch
    {
        _ when secret.StartsWith("Bearer ", StringComparison.Ordinal) => secret["Bearer ".Length..],
        _ when secret.Contains("Pa55w0rdInUrl", StringComparison.Ordinal) => "Pa55w0rdInUrl",
        _ when secret.Contains("Password=", StringComparison.Ordinal) => "ConnStr1ngPw",
        _ when secret.Contains('=') => secret[(secret.IndexOf('=') + 1)..],
        _ => secret,
    };

    public void Dispose() => _cli.Dispose();
}
