using System.Text;

namespace Hokusai.Incidents.Import.Tests;

/// <summary>
/// Mutated fixtures (truncated, with random bytes, deeply nested, with huge tables) must each end
/// in a result or an <see cref="InvalidInputException"/> within a time limit: never a crash or a hang.
/// The seed is fixed, so a failure is reproducible.
/// </summary>
public sealed class FuzzTests
{
    private const int Cases = 300;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Mutated_documents_end_in_a_result_or_a_clear_error()
    {
        var random = new Random(20260304);
        var sources = Fixture.All.Select(n => File.ReadAllBytes(Fixture.PathOf(n))).ToList();
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Cases; i++)
        {
            var source = sources[random.Next(sources.Count)];
            var (kind, bytes) = Mutate(source, random);
            var name = $"case-{i}-{kind}.md";
            var work = Task.Run(() =>
            {
                try
                {
                    var doc = MarkdownInvestigationReader.Read(bytes, name);
                    IncidentMerge.Merge(new Incident { Id = "fuzz", Title = "fuzz" }, doc);
                    return "read";
                }
                catch (InvalidInputException e)
                {
                    Assert.StartsWith(name + ": ", e.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain('\n', e.Message);
                    return "refused";
                }
            });
            var outcome = await work.WaitAsync(PerCase).ContinueWith(t => t.IsFaulted && t.Exception!.InnerException is TimeoutException ? "hang" : t.GetAwaiter().GetResult(), TaskScheduler.Default);
            Assert.True(outcome != "hang", $"{name} did not finish within {PerCase.TotalSeconds} s");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        // Most mutations still leave a readable document; the fuzzing must exercise both paths.
        Assert.True(outcomes.GetValueOrDefault("read") > Cases / 2, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("refused") > 0, string.Join(", ", outcomes));
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] source, Random random)
    {
        switch (random.Next(7))
        {
            case 0:
                return ("truncated", source[..random.Next(source.Length)]);
            case 1:
                var noisy = (byte[])source.Clone();
                for (var k = random.Next(1, 20); k > 0; k--)
                {
                    noisy[random.Next(noisy.Length)] = (byte)random.Next(256);
                }
                return ("random-bytes", noisy);
            case 2:
                var depth = random.Next(10, 400);
                var list = new StringBuilder();
                for (var d = 0; d < depth; d++)
                {
                    list.Append(' ', d * 2).Append(random.Next(2) == 0 ? "- [ ] " : "* [x] ").Append("level ").Append(d).Append('\n');
                }
                return ("deep-list", Splice(source, list.ToString(), random));
            case 3:
                var quotes = string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "> " : "- ", random.Next(10, 300)));
                return ("deep-quote", Splice(source, quotes + "**Confidence**: High (90%)\n", random));
            case 4:
                var table = new StringBuilder("\n## Hypothesis table\n\n| # | Hypothesis | Confidence |");
                var columns = random.Next(0, 40);
                for (var c = 0; c < columns; c++)
                {
                    table.Append(" Extra ").Append(c).Append(" |");
                }
                table.Append("\n|---|---|---|").Append(string.Concat(Enumerable.Repeat("---|", columns))).Append('\n');
                for (var r = random.Next(100, 1500); r > 0; r--)
                {
                    table.Append("| ").Append(random.Next(100_000)).Append(" | suspect ").Append(r).Append(" | ").Append(random.Next(3) switch { 0 => "High", 1 => "Low (5%)", _ => "?" }).Append(" |");
                    for (var c = random.Next(columns + 3); c > 0; c--)
                    {
                        table.Append(" x |");
                    }
                    table.Append('\n');
                }
                return ("huge-table", Splice(source, table.ToString(), random));
            case 5:
                var emphasis = string.Concat(Enumerable.Repeat("*_`[", random.Next(50, 2000)));
                return ("unbalanced-inlines", Splice(source, emphasis + "\n", random));
            default:
                var lines = Encoding.UTF8.GetString(source).Split('\n');
                random.Shuffle(lines);
                return ("shuffled-lines", Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        }
    }

    private static byte[] Splice(byte[] source, string insert, Random random)
    {
        var text = Encoding.UTF8.GetString(source);
        var at = text.IndexOf('\n', random.Next(text.Length));
        at = at < 0 ? text.Length : at + 1;
        return Encoding.UTF8.GetBytes(text[..at] + insert + text[at..]);
    }
}
