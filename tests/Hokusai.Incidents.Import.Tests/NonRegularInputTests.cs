using System.Diagnostics;
using Hokusai.Incidents.Testing;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>import reads regular files only: a FIFO would block it and /dev/zero would never end.</summary>
public sealed class NonRegularInputTests
{
    [Fact]
    public async Task A_fifo_and_dev_zero_are_refused_in_one_line_each_and_the_other_files_still_import()
    {
        using var h = new CliHarness();
        var fifo = h.PathOf("notes.md");
        Process.Start("mkfifo", [fifo])!.WaitForExit();
        File.WriteAllText(h.PathOf("real.md"), "# Registry 504\n\n## Fix tasks\n\n- [ ] Roll back the deploy\n");

        var import = Task.Run(() => h.Run("import", "notes.md", "/dev/zero", "real.md"));
        Assert.Same(import, await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(30))));
        var run = await import;

        Assert.Equal(2, run.ExitCode);
        var errors = run.Error.TrimEnd().Split('\n');
        Assert.Equal(2, errors.Length);
        Assert.Contains("notes.md: is a FIFO (named pipe), not a regular file", errors[0]);
        Assert.Contains("/dev/zero: is a character device, not a regular file", errors[1]);
        Assert.Contains("real.md: created", run.Out);
    }
}
