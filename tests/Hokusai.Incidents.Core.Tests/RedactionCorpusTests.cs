using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>The built-in patterns against the shared corpus: every secret format goes, every ordinary sentence stays.</summary>
public sealed class RedactionCorpusTests
{
    private readonly Redactor _redactor = Redactor.Default;

    public static TheoryData<SecretSample> Secrets => [.. RedactionCorpus.Secrets];

    public static TheoryData<string> Ordinary => [.. RedactionCorpus.OrdinaryText];

    [Fact]
    public void The_corpus_is_as_large_as_the_issue_asks()
    {
        Assert.True(RedactionCorpus.Secrets.Select(s => s.Format).Distinct().Count() >= 60);
        Assert.True(RedactionCorpus.OrdinaryText.Distinct().Count() >= 30);
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Every_secret_format_is_redacted(SecretSample sample)
    {
        var redacted = _redactor.Redact(sample.Text);
        Assert.Null(sample.LeakIn(redacted));
        Assert.Contains(Redactor.Mark, redacted);
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Every_secret_format_is_redacted_inside_a_longer_text(SecretSample sample)
    {
        var text = $"09:25 on-call pasted this:\n{sample.Text}\nthen rotated it (see T3).";
        var redacted = _redactor.Redact(text);
        Assert.Null(sample.LeakIn(redacted));
        Assert.StartsWith("09:25 on-call pasted this:\n", redacted);
        Assert.EndsWith("\nthen rotated it (see T3).", redacted);
    }

    [Theory]
    [MemberData(nameof(Ordinary))]
    public void Ordinary_text_comes_back_unchanged(string text) => Assert.Equal(text, _redactor.Redact(text));

    [Fact]
    public void Redaction_is_idempotent_and_the_cheap_pre_checks_change_nothing()
    {
        var all = RedactionCorpus.Secrets.Select(s => s.Text).Concat(RedactionCorpus.OrdinaryText).ToArray();
        var random = new Random(5);
        for (var i = 0; i < 400; i++)
        {
            var text = string.Join(random.Next(2) == 0 ? "\n" : " ", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => all[random.Next(all.Length)]));
            var once = _redactor.Redact(text);
            Assert.Equal(_redactor.RedactUngated(text), once);
            Assert.Equal(once, _redactor.Redact(once));
        }
    }

    [Fact]
    public void A_quoted_value_keeps_its_quotes_so_json_stays_json()
    {
        var redacted = _redactor.Redact("{\"user\": \"mlflow\", \"password\": \"p@ss w0rd!\"}");
        Assert.Equal("{\"user\": \"mlflow\", \"password\": \"[REDACTED]\"}", redacted);
        System.Text.Json.JsonDocument.Parse(redacted).Dispose();
    }

    [Fact]
    public void A_truncated_private_key_is_cut_at_its_last_base64_line()
    {
        var sample = RedactionCorpus.Secrets.Single(s => s.Format == "private key without END line");
        Assert.Equal("deploy key:\n[REDACTED]\n\nthe rest was cut off", _redactor.Redact(sample.Text));
    }

    [Fact]
    public void A_code_fence_after_a_private_key_is_kept()
    {
        var text = "```\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n```\nafter";
        Assert.Equal("```\n[REDACTED]\n```\nafter", _redactor.Redact(text));
    }
}
