namespace Hokusai.Incidents.Search;

public static class TmpLap
{
    private static readonly bool On = Environment.GetEnvironmentVariable("HOKUSAI_LAP") == "1";
    private static readonly System.Diagnostics.Stopwatch Sw = System.Diagnostics.Stopwatch.StartNew();
    public static void Mark(string what)
    {
        if (On)
        {
            var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
            Console.Error.WriteLine($"LAP {what}: {sinceStart.TotalMilliseconds:F0} ms since process start");
        }
    }
}
