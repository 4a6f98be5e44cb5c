using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>A damaged database file is refused before LiteDB opens it, and left byte for byte as it was.</summary>
public sealed class DamagedStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-damaged-" + Guid.NewGuid().ToString("N"));
    private readonly string _healthy;

    public DamagedStoreTests()
    {
        Directory.CreateDirectory(_dir);
        _healthy = Path.Combine(_dir, "healthy.db");
        using var store = LiteDbIncidentStore.Open(_healthy);
        var id = store.Create(new Incident { Id = "registry-504", Title = "Registry returns 504" }).Id;
        store.AddEvidence([.. Enumerable.Range(1, 40).Select(n => new Evidence
        {
            IncidentId = id,
            Kind = EvidenceKind.LogExcerpt,
            Content = $"line {n}: " + new string('x', 900),
        })]);
    }

    public static TheoryData<string> Damages => new()
    {
        "truncated to 64 bytes",
        "truncated to 4000 bytes",
        "truncated to 8191 bytes",
        "one byte short",
        "one page short",
        "bad header text",
        "unknown file version",
        "page header overwritten",
        "marked invalid by LiteDB",
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_file_is_refused_and_left_byte_for_byte(string damage)
    {
        var path = Path.Combine(_dir, "damaged.db");
        File.Copy(_healthy, path, overwrite: true);
        Damage(path, damage);
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<StoreException>(() => LiteDbIncidentStore.Open(path).Dispose());

        Assert.Equal(4, e.ExitCode);
        Assert.Contains(path, e.Message);
        Assert.Contains("left untouched", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(Path.Combine(_dir, "damaged-log.db")));
    }

    [Theory]
    [InlineData("one byte short")]
    [InlineData("one page short")]
    [InlineData("marked invalid by LiteDB")]
    [InlineData("bad header text")]
    public void Doctor_copies_what_can_be_read_into_a_new_store_and_leaves_the_damaged_one_as_it_was(string damage)
    {
        var path = Path.Combine(_dir, "damaged.db");
        File.Copy(_healthy, path, overwrite: true);
        Damage(path, damage);
        var before = File.ReadAllBytes(path);
        var salvaged = Path.Combine(_dir, "salvaged.db");

        var report = StoreSalvage.CopyReadable(path, salvaged);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, report.Incidents);
        Assert.InRange(report.Evidence, 1, 40);
        using var store = LiteDbIncidentStore.Open(salvaged);
        Assert.Equal("Registry returns 504", store.Get("registry-504").Title);
        Assert.Equal(report.Evidence, store.CountEvidence("registry-504"));
        Assert.Throws<InvalidInputException>(() => StoreSalvage.CopyReadable(path, salvaged));
    }

    [Fact]
    public void A_healthy_file_and_a_missing_one_pass()
    {
        Assert.Null(StoreFileCheck.Problem(_healthy, allPages: true));
        Assert.Null(StoreFileCheck.Problem(Path.Combine(_dir, "new.db"), allPages: true));
        using var store = LiteDbIncidentStore.Open(_healthy);
        Assert.Equal(40, store.CountEvidence("registry-504"));
    }

    [Fact]
    public void The_problem_is_named()
    {
        var path = Path.Combine(_dir, "cut.db");
        File.Copy(_healthy, path);
        Damage(path, "one byte short");
        Assert.Contains("not a whole number", StoreFileCheck.Problem(path, allPages: false));
        File.WriteAllText(path, "# notes\n");
        Assert.Contains("no LiteDB header", StoreFileCheck.Problem(path, allPages: false));
    }

    private static void Damage(string path, string damage)
    {
        var length = new FileInfo(path).Length;
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        void Poke(long at, byte value)
        {
            f.Position = at;
            f.WriteByte(value);
        }
        switch (damage)
        {
            case "truncated to 64 bytes": f.SetLength(64); break;
            case "truncated to 4000 bytes": f.SetLength(4000); break;
            case "truncated to 8191 bytes": f.SetLength(8191); break;
            case "one byte short": f.SetLength(length - 1); break;
            case "one page short": f.SetLength(length - StoreFileCheck.PageSize); break;
            case "bad header text": Poke(40, (byte)'X'); break;
            case "unknown file version": Poke(59, 7); break;
            case "page header overwritten": Poke((3 * StoreFileCheck.PageSize) + 4, 9); break;
            case "marked invalid by LiteDB": Poke(191, 1); break;
            default: throw new ArgumentException(damage);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
