using Hokusai.Incidents.Redaction;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>
/// The store's redactor skips patterns a cheap scan rules out (that is what makes million-event
/// ingest fast); the result must equal running every pattern on every text.
/// </summary>
public sealed class RedactionGateTests
{
    [Fact]
    public void Gated_redaction_equals_running_every_pattern_on_log_like_text()
    {
        var redactor = new Redactor(["internal-[0-9]+"]);
        string[] pieces =
        [
            "INFO: GET /api/mlflow/models 200 12ms", "password=hunter2", "PASSWORD: \"s3cr3t\"", "api-key=abcd1234", "client_secret: xyz",
            "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", "Authorization: Bearer abcdefgh12345678",
            "Basic dXNlcjpwYXNzd29yZA==", "postgresql://mlflow:pa55word@db:5432/mlflow", "http://mlflow:5000/api/2.0", "hk_live_1234567890abcdef",
            "sk_test_abcdefgh1234", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "xoxb-1234567890-abcdef", "AKIAIOSFODNN7EXAMPLE", "AROAEXAMPLEID1234567",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY=", "391509345211170235774093729280124098813077164370116608",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", "internal-42",
            "\u212Aey=kelvin", "ſecret=long-s", "user@example.com", "key: value", "TOKEN:abc", "mytoken = 'quoted'", "",
        ];
        var random = new Random(11);
        for (var i = 0; i < 3000; i++)
        {
            var text = string.Join(random.Next(3) switch { 0 => " ", 1 => "&", _ => "\n" },
                Enumerable.Range(0, 1 + random.Next(4)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.Equal(redactor.RedactUngated(text), redactor.Redact(text));
        }
    }
}
