using Hokusai.Incidents.Storage;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Search.Tests;

/// <summary>A damaged search index, whatever file of it is damaged, is rebuilt from the database.</summary>
public sealed class DamagedIndexTests
{
    private static CliHarness Indexed()
    {
        var h = new CliHarness();
        using (var store = LiteDbIncidentStore.Open(h.DatabasePath, new StoreOptions { Clock = h.Clock }))
        {
            KnowledgeBase.Seed(store);
        }
        h.Run("reindex").ShouldSucceed();
        return h;
    }

    private static IEnumerable<string> Files(CliHarness h, string pattern) =>
        Directory.EnumerateFiles(IndexSchema.DirectoryFor(h.DatabasePath), pattern);

    public static TheoryData<string> Damages => new() { "segments_N garbage", "segments_N cut", "compound file cut", "segment info emptied" };

    private static void Damage(CliHarness h, string damage)
    {
        switch (damage)
        {
            case "segments_N garbage":
                foreach (var f in Files(h, "segments_*"))
                {
                    File.WriteAllText(f, "garbage");
                }
                break;
            case "segments_N cut":
                foreach (var f in Files(h, "segments_*"))
                {
                    using var s = new FileStream(f, FileMode.Open);
                    s.SetLength(s.Length / 2);
                }
                break;
            case "compound file cut":
                foreach (var f in Files(h, "*.cfs"))
                {
                    using var s = new FileStream(f, FileMode.Open);
                    s.SetLength(1000);
                }
                break;
            case "segment info emptied":
                foreach (var f in Files(h, "*.si"))
                {
                    File.WriteAllBytes(f, []);
                }
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void Search_rebuilds_a_damaged_index_saying_so_once(string damage)
    {
        using var h = Indexed();
        Damage(h, damage);

        var r = h.Run("search", "504", "--json").ShouldSucceed();

        Assert.Contains("could not be read", r.Error);
        Assert.EndsWith("rebuilding it", r.Error.TrimEnd());
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains(KnowledgeBase.BadDeploy, r.Out);
        Assert.Equal("", h.Run("search", "504").ShouldSucceed().Error);
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void Reindex_rebuilds_a_damaged_index(string damage)
    {
        using var h = Indexed();
        Damage(h, damage);

        h.Run("reindex").ShouldSucceed();

        Assert.Contains(KnowledgeBase.BadDeploy, h.Run("search", "504").ShouldSucceed().Out);
    }
}
