using System.Diagnostics;

namespace Hokusai.Incidents.Sharing;

/// <summary>The <c>git</c> command line, run in one working directory.</summary>
public sealed class GitCommand(string workingDirectory)
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public Result Run(params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IncidentsException("cannot start git");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IncidentsException($"cannot run git: {e.Message} (is git installed and on PATH?)", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new Result(process.ExitCode, output, error.GetAwaiter().GetResult());
        }
    }

    /// <summary>Runs git and fails with its own message when it fails.</summary>
    public string Check(params string[] args)
    {
        var r = Run(args);
        if (r.ExitCode != 0)
        {
            throw new IncidentsException($"git {string.Join(' ', args)} failed: {r.Error.Trim().ReplaceLineEndings(" ")}");
        }
        return r.Out;
    }

    /// <summary>The root of the git work tree holding <paramref name="directory"/>, found by walking up (no process needed).</summary>
    public static string? FindRoot(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
