using System.Reflection;
using Hokusai.Incidents.Aws.Tests.Fakes;
using Hokusai.Incidents.Benchmarks;

// The hello-world baseline of the whole-process benchmark: a .NET program that only starts and prints.
if (args is ["hello"])
{
    Console.WriteLine("hello");
    return 0;
}

// A fake AWS endpoint for .ci/check-native.sh, which pulls through the published incidents: it serves
// COUNT CloudWatch Logs events in GROUP, prints its endpoint, region and keys, and stops when its
// standard input closes.
if (args is ["fake-aws", var group, var countText])
{
    await using var server = new FakeAwsServer { PageSize = 1_000 };
    var start = new DateTimeOffset(2025, 8, 20, 13, 0, 0, TimeSpan.Zero);
    server.AddLogEvents(group, FakeAwsServer.MakeEvents(group, int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture), start,
        message: i => i % 100 == 0 ? $"upstream connect error: ECONNREFUSED 10.0.3.219:5000 request {i}" : $"GET /health/alb 200 request {i}"));
    Console.WriteLine($"{server.Endpoint} {server.Region} {FakeAwsServer.AccessKey} {FakeAwsServer.SecretKey}");
    await Console.In.ReadToEndAsync();
    return 0;
}

// Every benchmark prints its own figure beside a baseline measured in the same run, as a ratio.
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: Hokusai.Incidents.Benchmarks NAME|all [--scale F]");
    Console.WriteLine("  --scale F   multiply every size by F (e.g. 0.01 for a smoke run)");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-16} {b.Description}");
    }
    return args.Length == 0 ? 2 : 0;
}

var scale = 1.0;
for (var i = 1; i < args.Length - 1; i++)
{
    if (args[i] == "--scale")
    {
        scale = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
    return 2;
}

Console.WriteLine(MachineInfo.Describe());
foreach (var b in selected)
{
    Console.WriteLine($"== {b.Name}: {b.Description}");
    b.Run(new BenchmarkContext(scale));
}
return 0;
