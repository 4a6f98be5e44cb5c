namespace Hokusai.Incidents.Import.Tests;

/// <summary>The hand-written documents under Fixtures/, copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static ImportedDocument Read(string name) => MarkdownInvestigationReader.Read(File.ReadAllBytes(PathOf(name)), name);

    public static IEnumerable<string> All => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.md").Select(Path.GetFileName).OfType<string>().Order();
}

/// <summary>
/// The five seed documents live outside the repository (../shared/seeds next to it, or
/// $HOKUSAI_SEEDS_DIR); tests that need them are skipped where they are absent.
/// </summary>
internal static class Seeds
{
    public static readonly string[] Names =
        ["bug-investigation.md", "fix-tasks.md", "infrastructure-status.md", "root-cause-analysis.md", "root-cause-hypotheses.md"];

    public static string? Directory { get; } = Find();

    private static string? Find()
    {
        var candidates = new List<string?> { System.Environment.GetEnvironmentVariable("HOKUSAI_SEEDS_DIR") };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hokusai.Incidents.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "..", "shared", "seeds"));
                break;
            }
        }
        candidates.Add("/work/shared/seeds");
        return candidates.OfType<string>().Select(Path.GetFullPath)
            .FirstOrDefault(d => Names.All(n => File.Exists(Path.Combine(d, n))));
    }

    public static string PathOf(string name) => Path.Combine(Directory!, name);
}

/// <summary>A fact that runs only where the seed documents are available.</summary>
public sealed class SeedsFactAttribute : FactAttribute
{
    public SeedsFactAttribute()
    {
        if (Seeds.Directory is null)
        {
            Skip = "seed documents not found (set HOKUSAI_SEEDS_DIR or place them in ../shared/seeds)";
        }
    }
}
