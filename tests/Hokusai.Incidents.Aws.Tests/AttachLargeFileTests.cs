using System.Text;

namespace Hokusai.Incidents.Aws.Tests;

/// <summary>Log dumps are read a buffer at a time; these cover the seams between buffers and bad endings.</summary>
public sealed class AttachLargeFileTests
{
    private static Task<AttachResult> Attach(AwsTestBed bed, string path) =>
        AwsCliFile.AttachAsync(bed.Store, path, new AttachOptions { IncidentId = bed.IncidentId, Group = "/ecs/big", BatchSize = 5_000 }, TimeProvider.System, default);

    /// <summary>A filter-log-events file of <paramref name="count"/> events, one of them far larger than a read buffer.</summary>
    private static string LogsFile(int count, int hugeAt = -1, string tail = "", bool bom = false)
    {
        var b = new StringBuilder();
        b.Append("{\"searchedLogStreams\": [{\"logStreamName\": \"s/1\", \"searchedCompletely\": true}],\n \"events\": [\n");
        for (var i = 0; i < count; i++)
        {
            var message = i == hugeAt ? "Traceback " + new string('x', 3 << 20) : $"GET /api/mlflow/health 504 request {i} \\\"quoted\\\" \\u00e9";
            b.Append(i == 0 ? "" : ",\n")
                .Append("  {\"logStreamName\": \"s/1\", \"timestamp\": ").Append(1_755_697_457_000L + i)
                .Append(", \"message\": \"").Append(message).Append("\", \"ingestionTime\": 1755697460000, \"eventId\": \"")
                .Append(i.ToString("D56", System.Globalization.CultureInfo.InvariantCulture)).Append("\"}");
        }
        b.Append("\n]").Append(tail).Append("}\n");
        var path = Path.Combine(Path.GetTempPath(), $"hokusai-attach-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, b.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        return path;
    }

    [Fact]
    public async Task Every_event_of_a_file_many_buffers_long_is_stored_once_in_order()
    {
        await using var bed = new AwsTestBed();
        var path = LogsFile(15_000, hugeAt: 12_345, bom: true);
        try
        {
            Assert.True(new FileInfo(path).Length > 5 << 20);
            var result = await Attach(bed, path);

            Assert.Equal(AwsCliShape.FilterLogEvents, result.Shape);
            Assert.Equal((15_000L, 15_000L), (result.Items, result.Added));
            var stored = bed.Evidence();
            Assert.Equal(15_000, stored.Count);
            Assert.Equal("GET /api/mlflow/health 504 request 14999 \"quoted\" é", stored[^1].Content);
            Assert.StartsWith("Traceback xxx", stored[12_345].Content, StringComparison.Ordinal);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_755_697_457_000L + 10_000), stored[10_000].Time);

            Assert.Equal(0, (await Attach(bed, path)).Added);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_get_log_events_file_is_told_by_its_tokens_after_the_events()
    {
        await using var bed = new AwsTestBed();
        var path = LogsFile(3, tail: ",\n \"nextForwardToken\": \"f/1\", \"nextBackwardToken\": \"b/1\"");
        try
        {
            // Its events name a stream, as filter-log-events does, but the tokens settle it.
            Assert.Equal(AwsCliShape.GetLogEvents, (await Attach(bed, path)).Shape);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("cut off", "not valid JSON")]
    [InlineData("trailing", "not valid JSON")]
    [InlineData("empty", "is empty")]
    public async Task A_damaged_file_is_refused_whole_and_stores_nothing(string damage, string says)
    {
        await using var bed = new AwsTestBed();
        var path = LogsFile(12_000);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path);
            bytes = damage switch
            {
                "cut off" => bytes[..(bytes.Length * 3 / 4)],
                "trailing" => [.. bytes, .. "{\"events\": []}"u8.ToArray()],
                _ => [],
            };
            await File.WriteAllBytesAsync(path, bytes);

            var e = await Assert.ThrowsAsync<InvalidInputException>(() => Attach(bed, path));
            Assert.StartsWith($"{path}: {says}", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Equal(0, bed.Store.CountEvidence(bed.IncidentId));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_event_that_is_not_an_object_is_named_and_nothing_is_stored()
    {
        await using var bed = new AwsTestBed();
        var path = Path.Combine(Path.GetTempPath(), $"hokusai-attach-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\"events\": [{\"timestamp\": 1755697457000, \"message\": \"ok\"}, 5]}");
        try
        {
            var e = await Assert.ThrowsAsync<InvalidInputException>(() => Attach(bed, path));
            Assert.Equal($"{path}: event 2 of the events array is not an object", e.Message);
            Assert.Equal(0, bed.Store.CountEvidence(bed.IncidentId));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
