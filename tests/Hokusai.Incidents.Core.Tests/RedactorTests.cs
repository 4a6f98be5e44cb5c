using Hokusai.Incidents.Redaction;

namespace Hokusai.Incidents.Core.Tests;

public class RedactorTests
{
    private readonly Redactor _redactor = Redactor.Default;

    public static TheoryData<string, string> Secrets => new()
    {
        { "API Key: `hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN`", "hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN" },
        { "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE" },
        { "key id ASIAY34FZKBOKMUTVV7A used", "ASIAY34FZKBOKMUTVV7A" },
        { "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { "secret in a log: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" },
        { "curl -H 'Authorization: Bearer abcdef0123456789token'", "abcdef0123456789token" },
        { "postgresql://mlflow:s3cr3tPassw0rd@hokusai-mlflow-development.rds.amazonaws.com:5432/mlflow", "s3cr3tPassw0rd" },
        { "Server=db;User Id=sa;Password=Hunter2!x;Database=mlflow", "Hunter2!x" },
        { "password=correct-horse-battery", "correct-horse-battery" },
        { "client_secret: 9f8e7d6c5b4a", "9f8e7d6c5b4a" },
        { "{\"password\": \"p@ss w0rd\"}", "p@ss" },
        { "secret=topsecretvalue&user=bob", "topsecretvalue" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Removes_every_kind_of_secret(string text, string secret)
    {
        var redacted = _redactor.Redact(text);
        Assert.DoesNotContain(secret, redacted);
        Assert.Contains(Redactor.Mark, redacted);
    }

    [Theory]
    [InlineData("image tag 08f0380d3e657ac3512c403fa3f7d4e09bff6d2e deployed")]
    [InlineData("WARNING: Connection to 10.0.3.219 timed out. (connect timeout=120)")]
    [InlineData("INTERNAL_ERROR: Response: {'detail': 'Not Found'}")]
    [InlineData("API key required")]
    [InlineData("FATAL: password authentication failed for user \"mlflow\"")]
    [InlineData("/api/2.0/mlflow/experiments/get-by-name?experiment_name=default")]
    [InlineData("nextToken: f/3781234/AAAA")]
    public void Leaves_ordinary_incident_text_alone(string text) =>
        Assert.Equal(text, _redactor.Redact(text));

    [Fact]
    public void Redaction_is_idempotent()
    {
        var once = _redactor.Redact("password=abc123 and hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN");
        Assert.Equal(once, _redactor.Redact(once));
    }

    [Fact]
    public void Extra_patterns_apply_on_top_of_the_built_in_ones()
    {
        var redactor = new Redactor(["corp-[0-9]{6}"]);
        Assert.Equal("ticket [REDACTED] ok", redactor.Redact("ticket corp-123456 ok"));
    }

    [Fact]
    public void A_broken_extra_pattern_is_named_in_the_error()
    {
        var e = Assert.Throws<InvalidInputException>(() => new Redactor(["(unclosed"]));
        Assert.Contains("(unclosed", e.Message);
    }

    [Fact]
    public void Records_are_redacted_in_every_nested_string()
    {
        var incident = new Incident
        {
            Id = "x",
            Title = "t",
            Reproduction = new Reproduction { EnvironmentRequired = ["API Key: hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN"] },
            Hypotheses = [new Hypothesis { Number = 1, Title = "h", Commands = [new CodeSnippet { Code = "psql postgres://u:pw12345@db/x" }] }],
        };
        var redacted = _redactor.RedactRecord(incident);
        var json = Serialization.IncidentJson.Serialize(redacted);
        Assert.DoesNotContain("hk_live_pIDV", json);
        Assert.DoesNotContain("pw12345", json);
    }
}
