using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>The investigation document's "Similar past issues" comes from the same search as <c>similar</c>.</summary>
public sealed class RenderSimilarTests
{
    [Fact]
    public void Investigation_document_lists_the_closest_past_outage()
    {
        using var h = new CliHarness();
        using (var store = LiteDbIncidentStore.Open(h.DatabasePath, new StoreOptions { Clock = h.Clock }))
        {
            KnowledgeBase.Seed(store);
        }
        var closest = h.Run("similar", KnowledgeBase.Dns, "--json").ShouldSucceed().Json[0].GetProperty("id").GetString()!;

        var doc = h.Run("render", KnowledgeBase.Dns, "--doc", "investigation").ShouldSucceed().Out;

        var start = doc.IndexOf("Similar past issues", StringComparison.Ordinal);
        Assert.True(start >= 0, doc);
        var next = doc.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = next > 0 ? doc[start..next] : doc[start..];
        Assert.Contains(closest, section, StringComparison.Ordinal);
        // An incident is never "similar" to itself.
        Assert.DoesNotContain(KnowledgeBase.Dns, section, StringComparison.Ordinal);
    }
}
