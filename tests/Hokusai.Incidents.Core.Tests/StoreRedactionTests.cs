using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>The store redacts before it makes or normalises an id, and guards the patterns users add.</summary>
public sealed class StoreRedactionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-core-" + Guid.NewGuid().ToString("N"));

    public StoreRedactionTests() => Directory.CreateDirectory(_dir);

    private LiteDbIncidentStore Open() => LiteDbIncidentStore.Open(Path.Combine(_dir, "incidents.db"));

    [Fact]
    public void Ids_made_from_titles_never_hold_a_secret()
    {
        using var store = Open();
        foreach (var sample in RedactionCorpus.Secrets.Where(s => s.IsSingleLine))
        {
            var created = store.Create(new Incident { Id = "", Title = sample.Text });
            Assert.True(sample.LeakIn(created.Id) is null, $"{sample.Format}: id {created.Id}");
            Assert.Null(sample.LeakIn(created.Title));
        }
    }

    [Fact]
    public void An_id_given_with_a_secret_is_redacted_before_it_is_normalised()
    {
        using var store = Open();
        var sample = RedactionCorpus.Secrets[0];
        var put = store.Put(new Incident { Id = "db hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN", Title = "x" });
        Assert.Null(sample.LeakIn(put.Id));
        Assert.Equal("db-redacted", put.Id);
        var created = store.Create(new Incident { Id = "HK_LIVE_Q9xT4mPz8KwL2vRb7NcY5dFh", Title = "y" });
        Assert.Equal("redacted", created.Id);
    }

    [Theory]
    [InlineData("x*")]
    [InlineData("\\b")]
    [InlineData("(?=a)")]
    public void A_pattern_that_matches_empty_text_is_refused(string pattern)
    {
        using var store = Open();
        var e = Assert.Throws<InvalidInputException>(() => store.AddRedactionPattern(pattern));
        Assert.Contains("matches empty text", e.Message);
        Assert.Empty(store.StoredRedactionPatterns);
    }

    [Fact]
    public void Stored_patterns_are_listed_and_removed()
    {
        using (var store = Open())
        {
            store.AddRedactionPattern("CORP-[0-9]{6}");
            store.AddRedactionPattern("TKT-[0-9]+");
            Assert.Equal(["CORP-[0-9]{6}", "TKT-[0-9]+"], store.StoredRedactionPatterns);
            store.RemoveRedactionPattern("CORP-[0-9]{6}");
            Assert.Throws<NotFoundException>(() => store.RemoveRedactionPattern("CORP-[0-9]{6}"));
        }
        using var reopened = Open();
        Assert.Equal(["TKT-[0-9]+"], reopened.StoredRedactionPatterns);
        Assert.Equal("CORP-123456 [REDACTED]", reopened.Redactor.Redact("CORP-123456 TKT-9"));
    }

    [Fact]
    public void Custom_patterns_are_interpreted_not_compiled()
    {
        // Compiling a pattern costs milliseconds of start-up for every command; these run on few texts.
        var regex = Redactor.Compile("CORP-[0-9]{6}");
        Assert.False(regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.Compiled));
        Assert.Equal(Redactor.ExtraPatternTimeout, regex.MatchTimeout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
