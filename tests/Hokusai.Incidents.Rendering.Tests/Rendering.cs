namespace Hokusai.Incidents.Rendering.Tests;

/// <summary>Shared ways to reach the shipped templates and the repository from tests.</summary>
internal static class Rendering
{
    public static string RepositoryRoot
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

    public static TemplateSet Shipped(string? overrides = null) =>
        TemplateSet.Load(TemplateSet.FindShipped(AppContext.BaseDirectory, RepositoryRoot), overrides);

    public static IReadOnlyList<RenderedDocument> RenderAll(RenderInput input) =>
        new DocumentRenderer(Shipped()).RenderAll(TemplateSet.StandardDocuments, input);

    public static string Render(string doc, RenderInput input) =>
        new DocumentRenderer(Shipped()).Render(doc, input).Markdown;
}
