using System.Diagnostics;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Cli.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly CliHarness _cli = new();

    /// <summary>Two real <c>incidents</c> processes write the same database file at the same time.</summary>
    [Fact]
    public async Task Two_processes_adding_25_tasks_each_keep_all_50()
    {
        var id = _cli.Run("new", "Concurrent writers", "--json").ShouldSucceed().Json.GetProperty("id").GetString()!;
        var cliDll = typeof(IncidentsCli).Assembly.Location;

        async Task Writer(string name)
        {
            for (var i = 1; i <= 25; i++)
            {
                var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { cliDll, "--db", _cli.DatabasePath, "task", "add", id, $"{name} task {i}" })
                {
                    psi.ArgumentList.Add(a);
                }
                using var p = Process.Start(psi)!;
                var stderr = p.StandardError.ReadToEndAsync();
                await p.StandardOutput.ReadToEndAsync();
                await p.WaitForExitAsync();
                Assert.True(p.ExitCode == 0, $"{name} task {i} failed: {await stderr}");
            }
        }

        await Task.WhenAll(Task.Run(() => Writer("a")), Task.Run(() => Writer("b")));

        var tasks = _cli.Run("task", "list", id, "--json").ShouldSucceed().Json.EnumerateArray()
            .Select(t => (Number: t.GetProperty("number").GetInt32(), Title: t.GetProperty("title").GetString()!)).ToList();
        Assert.Equal(50, tasks.Count);
        Assert.Equal(Enumerable.Range(1, 50), tasks.Select(t => t.Number).Order());
        Assert.Equal(25, tasks.Count(t => t.Title.StartsWith("a ", StringComparison.Ordinal)));
        Assert.Equal(25, tasks.Count(t => t.Title.StartsWith("b ", StringComparison.Ordinal)));
    }

    public void Dispose() => _cli.Dispose();
}
