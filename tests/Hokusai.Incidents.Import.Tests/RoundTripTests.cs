using System.Text.Json;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>
/// Import → render the fix-tasks and hypotheses documents → import those into an empty database:
/// the tasks (titles, nesting, done state, priority, group, section), checklists and hypotheses come
/// back the same.
/// </summary>
public sealed class RoundTripTests
{
    [Fact]
    public void Rendered_fixture_documents_import_back_to_the_same_tasks_and_hypotheses()
    {
        AssertRoundTrip([.. new[] { "checkout-incident-crlf.md", "checkout-fix-plan.md", "checkout-hypotheses.md" }.Select(Fixture.PathOf)]);
    }

    [SeedsFact]
    public void Rendered_seed_documents_import_back_to_the_same_tasks_and_hypotheses()
    {
        AssertRoundTrip([.. Seeds.Names.Select(Seeds.PathOf)]);
    }

    [Fact]
    public void The_example_incidents_hypothesis_status_history_comes_back_from_its_rendered_document()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Hokusai.Incidents.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }
        using var first = new CliHarness();
        first.Run("import", Path.Combine(root, "incidents", "2025-08-18-model-registration-failure")).ShouldSucceed();
        const string Id = "2025-08-18-model-registration-failure";
        var original = first.Run("hypothesis", "list", Id, "--json").ShouldSucceed().Json;
        Assert.Contains(original.EnumerateArray(), h => h.GetProperty("history").GetArrayLength() > 0);

        using var second = new CliHarness();
        File.WriteAllText(second.PathOf("hypotheses.md"), first.Run("render", Id, "--doc", "hypotheses").ShouldSucceed().Out);
        second.Run("import", "hypotheses.md").ShouldSucceed();
        second.Run("import", "hypotheses.md").ShouldSucceed();
        var copyId = second.Run("list", "--json").ShouldSucceed().Json[0].GetProperty("id").GetString()!;
        var copy = second.Run("hypothesis", "list", copyId, "--json").ShouldSucceed().Json;

        string Facts(JsonElement list) => string.Join("\n", list.EnumerateArray().Select(h =>
            $"H{h.GetProperty("number").GetInt32()} {h.GetProperty("status").GetString()} {Compact(h.GetProperty("history"))}"));
        Assert.Equal(Facts(original), Facts(copy));
    }

    private static void AssertRoundTrip(string[] sources)
    {
        using var first = new CliHarness();
        first.Run(["import", .. sources]).ShouldSucceed();
        var id = first.Run("list", "--json").ShouldSucceed().Json[0].GetProperty("id").GetString()!;
        var original = first.Run("show", id, "--json").ShouldSucceed().Json;

        using var second = new CliHarness();
        foreach (var doc in new[] { "fix-tasks", "hypotheses" })
        {
            var markdown = first.Run("render", id, "--doc", doc).ShouldSucceed().Out;
            File.WriteAllText(second.PathOf(doc + ".md"), markdown);
        }
        second.Run("import", "fix-tasks.md", "hypotheses.md").ShouldSucceed();
        var list = second.Run("list", "--json").ShouldSucceed().Json;
        Assert.Equal(1, list.GetArrayLength());
        var copy = second.Run("show", list[0].GetProperty("id").GetString()!, "--json").ShouldSucceed().Json;

        foreach (var field in new[] { "tasks", "hypotheses", "rollbackPlan", "successCriteria", "taskSequence" })
        {
            Assert.True(original.GetProperty(field).GetArrayLength() > 0 || field == "taskSequence", $"{field} is empty in the original");
            Assert.Equal(Compact(original.GetProperty(field)), Compact(copy.GetProperty(field)));
        }
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
