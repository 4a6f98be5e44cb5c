namespace Hokusai.Incidents.Analysis.Tests;

internal static class Repository
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Hokusai.Incidents.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ExampleIncident => Path.Combine(Root, "incidents", "2025-08-18-model-registration-failure");
}
