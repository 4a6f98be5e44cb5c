using System.Diagnostics;
using Hokusai.Incidents.Files;

namespace Hokusai.Incidents.Core.Tests;

/// <summary>Outputs never replace what the user did not ask to change; inputs are regular files read up to a limit.</summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hokusai-files-" + Guid.NewGuid().ToString("N"));

    public FileSafetyTests() => Directory.CreateDirectory(_dir);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string Fifo(string name)
    {
        var path = PathOf(name);
        Process.Start("mkfifo", [path])!.WaitForExit();
        Assert.Equal(FileKind.Fifo, FileKinds.Of(path));
        return path;
    }

    [Fact]
    public void The_database_its_log_and_its_index_are_never_an_output_not_even_through_a_link()
    {
        var db = PathOf("incidents.db");
        File.WriteAllText(db, "database bytes");
        Directory.CreateDirectory(db + ".index");
        File.CreateSymbolicLink(PathOf("innocent.json"), db);
        string[] guarded = [db, PathOf("incidents-log.db"), db + ".index"];

        foreach (var target in new[] { db, PathOf("innocent.json"), db + ".index/segments_1", PathOf("incidents-log.db") })
        {
            var e = Assert.Throws<InvalidInputException>(() => OutputFile.Check(target, force: true, guarded));
            Assert.Contains("is the database", e.Message);
        }
        Assert.Equal("database bytes", File.ReadAllText(db));
    }

    [Fact]
    public void An_existing_file_is_replaced_only_with_force()
    {
        var path = PathOf("out.json");
        File.WriteAllText(path, "keep me");
        var e = Assert.Throws<InvalidInputException>(() => OutputFile.Check(path, force: false, []));
        Assert.Contains("already exists; use --force", e.Message);
        Assert.Equal("keep me", File.ReadAllText(path));

        OutputFile.Write(OutputFile.Check(path, force: true, []), "new");
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_symbolic_link_is_written_through_and_stays_a_link()
    {
        var target = PathOf("real.json");
        File.WriteAllText(target, "old");
        var link = PathOf("link.json");
        File.CreateSymbolicLink(link, target);

        OutputFile.Write(OutputFile.Check(link, force: true, []), "through");

        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link, followLinks: false));
        Assert.Equal("through", File.ReadAllText(target));
    }

    [Fact]
    public async Task Character_devices_and_fifos_are_written_into_not_replaced()
    {
        OutputFile.Write(OutputFile.Check("/dev/null", force: false, []), "discarded");
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));

        var fifo = Fifo("out.fifo");
        var reader = Task.Run(() => File.ReadAllText(fifo));
        OutputFile.Write(OutputFile.Check(fifo, force: false, []), "through the pipe");
        Assert.Same(reader, await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal("through the pipe", await reader);
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
    }

    [Fact]
    public void Inputs_must_be_regular_files_within_the_limit()
    {
        var fifo = Fifo("in.fifo");
        Assert.Contains("is a FIFO (named pipe), not a regular file", Assert.Throws<InvalidInputException>(() => InputFile.ReadAll(fifo, "in.fifo", 1024)).Message);
        Assert.Contains("is a character device", Assert.Throws<InvalidInputException>(() => InputFile.ReadAll("/dev/zero", "/dev/zero", 1024)).Message);
        Assert.Contains("is a directory", Assert.Throws<InvalidInputException>(() => InputFile.ReadAll(_dir, "dir", 1024)).Message);

        var big = PathOf("big.md");
        File.WriteAllBytes(big, new byte[1025]);
        Assert.Contains("larger than the 1,024-byte limit", Assert.Throws<InvalidInputException>(() => InputFile.ReadAll(big, "big.md", 1024)).Message);
        File.WriteAllBytes(big, new byte[1024]);
        Assert.Equal(1024, InputFile.ReadAll(big, "big.md", 1024).Length);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
