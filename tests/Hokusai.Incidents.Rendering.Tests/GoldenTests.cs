using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>
/// Fresh renders must equal the committed documents byte for byte. After an intended template change,
/// regenerate them with HOKUSAI_UPDATE_GOLDENS=1 dotnet test … and review the diff.
/// </summary>
public class GoldenTests
{
    private static bool Updating => Environment.GetEnvironmentVariable("HOKUSAI_UPDATE_GOLDENS") == "1";

    public static TheoryData<string> CaseDirectories()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(Rendering.RepositoryRoot, "incidents");
        var dirs = Directory.Exists(root) ? Directory.GetDirectories(root) : [];
        foreach (var dir in dirs.Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "incident.json")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }
        return data;
    }

    [Fact]
    public void The_example_incident_is_in_the_repository() =>
        Assert.True(File.Exists(Path.Combine(Rendering.RepositoryRoot, "incidents", "2025-08-18-model-registration-failure", "incident.json")));

    [Theory]
    [MemberData(nameof(CaseDirectories))]
    public void Committed_documents_of_each_case_file_are_current(string id)
    {
        var dir = Path.Combine(Rendering.RepositoryRoot, "incidents", id);
        using var h = new CliHarness();
        h.Run("import", dir).ShouldSucceed();
        h.Run("render", id, "--doc", "all", "--out", "fresh").ShouldSucceed();

        Compare(dir, h.PathOf("fresh"));
    }

    [Fact]
    public void Committed_documents_of_the_sample_incident_are_current()
    {
        var dir = Path.Combine(Rendering.RepositoryRoot, "tests", "Hokusai.Incidents.Rendering.Tests", "Golden");
        using var h = new CliHarness();
        DocumentFiles.Write(h.PathOf("fresh"), Rendering.RenderAll(SampleIncident.Build()), html: false);

        Compare(dir, h.PathOf("fresh"));
    }

    private static void Compare(string committedDir, string freshDir)
    {
        foreach (var doc in TemplateSet.StandardDocuments)
        {
            var fresh = File.ReadAllText(Path.Combine(freshDir, doc + ".md"));
            var committed = Path.Combine(committedDir, doc + ".md");
            if (Updating)
            {
                Directory.CreateDirectory(committedDir);
                File.WriteAllText(committed, fresh);
                continue;
            }
            Assert.True(File.Exists(committed), $"{committed} is missing; run the tests with HOKUSAI_UPDATE_GOLDENS=1 to create it");
            Assert.Equal(File.ReadAllText(committed), fresh);
        }
    }
}
