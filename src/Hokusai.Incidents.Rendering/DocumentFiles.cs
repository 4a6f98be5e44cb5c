namespace Hokusai.Incidents.Rendering;

/// <summary>Writes rendered documents to a directory, as NAME.md and, when asked, NAME.html beside it.</summary>
public static class DocumentFiles
{
    /// <summary>
    /// Prepares every file's content first (HTML included) and only then writes, so a failure while
    /// converting leaves the directory as it was. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<RenderedDocument> documents, bool html)
    {
        var files = new List<(string Path, string Content)>();
        foreach (var d in documents)
        {
            files.Add((Path.Combine(directory, d.FileName), d.Markdown));
            if (html)
            {
                files.Add((Path.Combine(directory, d.Name + ".html"), HtmlPage.FromMarkdown(d.Markdown, d.Name)));
            }
        }
        Directory.CreateDirectory(directory);
        var encoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var (path, content) in files)
        {
            File.WriteAllText(path, content, encoding);
        }
        return [.. files.Select(f => f.Path)];
    }
}
