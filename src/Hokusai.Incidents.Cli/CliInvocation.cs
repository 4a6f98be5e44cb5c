using System.CommandLine;
using Hokusai.Incidents.Redaction;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Cli;

/// <summary>One run of one command: its parse result, the store (opened on first use) and the output.</summary>
public sealed class CliInvocation(CliApp app, ParseResult parse) : IDisposable
{
    private IIncidentStore? _store;
    private string? _scratchDirectory;

    public CliApp App { get; } = app;
    public ParseResult Parse { get; } = parse;
    public CliEnvironment Env => App.Env;
    public Output Out { get; } = new(app.Env.Out, app.Env.OutIsTerminal);
    public DateTimeOffset Now => Env.Clock.GetUtcNow();

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    public string DatabasePath =>
        Parse.GetValue(App.DbOption) ?? Env.Variable(CliApp.DbVariable) ?? Env.DefaultDatabasePath();

    /// <summary>The database file, LiteDB's log beside it and the search index folder: never an output.</summary>
    public IReadOnlyList<string> DatabaseFiles
    {
        get
        {
            var db = Path.GetFullPath(DatabasePath, Env.WorkingDirectory);
            var log = Path.Combine(Path.GetDirectoryName(db) ?? "", Path.GetFileNameWithoutExtension(db) + "-log" + Path.GetExtension(db));
            return [db, log, Search.IndexSchema.DirectoryFor(db)];
        }
    }

    public IIncidentStore Store => _store ??= LiteDbIncidentStore.Open(
        Path.GetFullPath(DatabasePath, Env.WorkingDirectory),
        new StoreOptions { Clock = Env.Clock });

    /// <summary>
    /// For a dry run: when the database does not exist yet, work on a throwaway one instead, so that
    /// looking at what a command would do does not leave an empty database behind.
    /// </summary>
    public void UseScratchStoreIfMissing()
    {
        if (_store is not null || File.Exists(Path.GetFullPath(DatabasePath, Env.WorkingDirectory)))
        {
            return;
        }
        _scratchDirectory = Path.Combine(Path.GetTempPath(), $"hokusai-dry-run-{Guid.NewGuid():N}");
        _store = LiteDbIncidentStore.Open(Path.Combine(_scratchDirectory, "incidents.db"), new StoreOptions { Clock = Env.Clock });
    }

    /// <summary>Resolves a path the user typed against the working directory.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, Env.WorkingDirectory);

    /// <summary>Tells the hooks (the search index) that an incident changed.</summary>
    public void Changed(string incidentId)
    {
        foreach (var hook in App.IncidentChanged)
        {
            hook(this, incidentId);
        }
    }

    /// <summary>Tells the hooks that one existing piece of evidence changed (new writes use <see cref="Changed"/>).</summary>
    public void EvidenceChanged(string incidentId, long number)
    {
        foreach (var hook in App.EvidenceChanged)
        {
            hook(this, incidentId, number);
        }
    }

    public void Deleted(string incidentId)
    {
        foreach (var hook in App.IncidentDeleted)
        {
            hook(this, incidentId);
        }
    }

    /// <summary>A one-line notice on standard error (kept out of stdout so JSON stays parseable).</summary>
    public void Notice(string message) => Env.Error.WriteLine($"incidents: {Redact(message)}");

    public void Warn(string message) => Env.Error.WriteLine($"incidents: warning: {Redact(message)}");

    /// <summary>Messages echo what was typed or read (a bad value, a file's line), secrets included.</summary>
    public void Fail(string message, Exception e)
    {
        Env.Error.WriteLine($"incidents: error: {Redact(message)}");
        if (Parse.GetValue(App.VerboseOption))
        {
            Env.Error.WriteLine(Redact(e.ToString()));
        }
    }

    /// <summary>
    /// Redacts text shown to the user but never stored. The store's redactor (with the patterns kept in
    /// the database) once the store is open; the built-in patterns otherwise, since opening the store
    /// just to print an error could fail for the very reason being reported.
    /// </summary>
    public string Redact(string text)
    {
        var redactor = _store?.Redactor ?? Redactor.Default;
        try
        {
            return redactor.Redact(text);
        }
        catch (InvalidInputException)
        {
            // A stored pattern that times out: the built-in ones still apply.
            return Redactor.Default.Redact(text);
        }
    }

    public void Dispose()
    {
        _store?.Dispose();
        if (_scratchDirectory is not null)
        {
            try
            {
                Directory.Delete(_scratchDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover scratch file in the temp directory is harmless.
            }
        }
    }
}
