using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Hokusai.Incidents.Benchmarks;

/// <summary>One benchmark; found by reflection, so adding a file is enough.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    void Run(BenchmarkContext context);
}

public sealed class BenchmarkContext(double scale)
{
    public double Scale { get; } = scale;

    /// <summary>A size scaled for smoke runs, never below 1.</summary>
    public int Size(int full) => Math.Max(1, (int)(full * Scale));

    /// <summary>A fresh directory removed at process exit.</summary>
    public string TempDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"hokusai-bench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return dir;
    }

    public static TimeSpan Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }

    public static void Report(string what, TimeSpan ours, TimeSpan baseline, string baselineName, long items = 0)
    {
        var rate = items > 0 ? $", {items / ours.TotalSeconds:N0}/s vs {items / baseline.TotalSeconds:N0}/s" : "";
        Console.WriteLine($"{what}: {ours.TotalMilliseconds:N1} ms vs {baselineName} {baseline.TotalMilliseconds:N1} ms " +
            $"-> ours takes {ours / baseline:N2}x the baseline's time{rate}");
    }
}

public static class MachineInfo
{
    public static string Describe() =>
        $"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.ProcessArchitecture}, " +
        $".NET {Environment.Version}, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB";
}
