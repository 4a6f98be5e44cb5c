using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>A fake AWS, a store in a temporary directory and one incident, for library-level tests.</summary>
public sealed class AwsTestBed : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 8, 20, 13, 0, 0, TimeSpan.Zero);

    public AwsTestBed()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hokusai-aws-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "incidents.db");
        Store = LiteDbIncidentStore.Open(DatabasePath);
        IncidentId = Store.Create(new Incident { Id = "", Title = "Model registration failure", Hypotheses = [new Hypothesis { Number = 1, Title = "MLflow down" }] }).Id;
    }

    public FakeAwsServer Server { get; } = new();
    public string Directory { get; }
    public string DatabasePath { get; }
    public LiteDbIncidentStore Store { get; private set; }
    public string IncidentId { get; }

    public AwsSettings Settings => Server.SettingsFor(Directory);

    public async Task<AwsJsonClient> ClientAsync(AwsSettings? settings = null)
    {
        settings ??= Settings;
        return new AwsJsonClient(await AwsCredentialResolver.ResolveAsync(settings, CancellationToken.None), settings);
    }

    public async Task<LogsPuller> LogsPullerAsync(AwsSettings? settings = null) =>
        new(Store, new CloudWatchLogsApi(await ClientAsync(settings)));

    public LogsPullRequest Request(params string[] groups) => new()
    {
        IncidentId = IncidentId,
        Groups = groups,
        Window = new TimeWindow(T0.AddHours(-1), T0.AddHours(5)),
    };

    public IReadOnlyList<Evidence> Evidence() => Store.ListEvidence(IncidentId).ToList();

    /// <summary>Closes the database so its file can be inspected byte for byte.</summary>
    public void CloseStore() => Store.Dispose();

    public void ReopenStore() => Store = LiteDbIncidentStore.Open(DatabasePath);

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
