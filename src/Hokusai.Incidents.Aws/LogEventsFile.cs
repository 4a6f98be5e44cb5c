using System.Text.Json;

namespace Hokusai.Incidents.Aws;

/// <summary>
/// Reads the <c>events</c> array of a saved <c>aws logs</c> file one event at a time, a buffer of the
/// file at a time, so a dump of millions of events never has to fit in memory as one document.
/// </summary>
internal sealed class LogEventsFile : IDisposable
{
    private const int InitialBuffer = 1 << 20;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string _path;
    private readonly bool _parseEvents;
    private readonly string? _group;
    private readonly string? _logStream;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private long _discarded;
    private bool _final;
    private bool _started;
    private JsonReaderState _state = new(new JsonReaderOptions());
    private Phase _phase = Phase.Start;

    private LogEventsFile(Stream stream, string path, bool parseEvents, string? group, string? logStream)
    {
        _stream = stream;
        _path = path;
        _parseEvents = parseEvents;
        _group = group;
        _logStream = logStream;
    }

    private enum Phase
    {
        Start,
        InRoot,
        InEvents,
        Done,
    }

    private enum Step
    {
        Event,
        NeedMore,
        End,
    }

    /// <summary>What a first pass over the file found: whether it is a logs file and which command wrote it.</summary>
    public sealed record Outline(bool IsLogs, AwsCliShape Shape, long Events);

    // What the top level and the first event showed on the way through.
    private bool _sawEvents;
    private bool _sawNextToken;
    private bool _sawSearchedStreams;
    private long _events;
    private bool? _firstIsLogEvent;
    private bool _firstHasFilterFields;

    /// <summary>
    /// Reads the whole file once without keeping it, checking it is JSON throughout (so a cut-off
    /// download is refused before anything is stored) and telling a logs file from anything else.
    /// </summary>
    public static Outline Scan(string path)
    {
        using var file = Open(path, parseEvents: false);
        if (file._stream.Length == 0)
        {
            throw new InvalidInputException($"{path}: is empty, not JSON from the AWS CLI");
        }
        while (file.Next() is not null)
        {
        }
        var isLogs = file._sawEvents && file._firstIsLogEvent != false;
        var shape = file._sawNextToken ? AwsCliShape.GetLogEvents
            : file._sawSearchedStreams || file._firstIsLogEvent is null || file._firstHasFilterFields ? AwsCliShape.FilterLogEvents
            : AwsCliShape.GetLogEvents;
        return new Outline(isLogs, shape, file._events);
    }

    /// <summary>
    /// The events of a file <see cref="Scan"/> found to be a logs file. Each is read straight off the
    /// buffer rather than through a document per event, which would be built and dropped a million times.
    /// </summary>
    public static IEnumerable<LogEvent> Events(string path, string? group, string? stream)
    {
        using var file = Open(path, parseEvents: true, group, stream);
        while (file.Next() is { } e)
        {
            yield return e;
        }
    }

    public void Dispose() => _stream.Dispose();

    private static LogEventsFile Open(string path, bool parseEvents, string? group = null, string? stream = null)
    {
        try
        {
            return new LogEventsFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path, parseEvents, group, stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidInputException($"{path}: no such file");
        }
    }

    /// <summary>The next event when parsing, or null after the last (while scanning, null at the end of the file).</summary>
    private LogEvent? Next()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            Step step;
            LogEvent? item;
            try
            {
                step = Advance(ref reader, out item);
            }
            catch (JsonException e)
            {
                var at = _discarded + _start + reader.BytesConsumed;
                var what = (e.Message.Split(" LineNumber:", 2)[0]).Trim().TrimEnd('.');
                throw new InvalidInputException($"{_path}: not valid JSON near byte {at:N0} ({what})", e);
            }
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            switch (step)
            {
                case Step.Event:
                    return item;
                case Step.End:
                    return null;
                default:
                    Fill();
                    break;
            }
        }
    }

    private Step Advance(ref Utf8JsonReader reader, out LogEvent? item)
    {
        item = null;
        while (true)
        {
            if (_phase == Phase.Done)
            {
                // Only whitespace may follow the top-level object; the reader checks that at the end.
                return reader.Read() ? throw new JsonException("more data after the top-level value") : _final ? Step.End : Step.NeedMore;
            }
            // A token or value cut off by the end of the buffer is read again, whole, after a refill.
            var before = reader;
            if (!reader.Read())
            {
                reader = before;
                return Step.NeedMore;
            }
            switch (_phase)
            {
                case Phase.Start:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        // Not an object at all: let the caller say what it is not.
                        if (!reader.TrySkip())
                        {
                            reader = before;
                            return Step.NeedMore;
                        }
                        _phase = Phase.Done;
                        continue;
                    }
                    _phase = Phase.InRoot;
                    continue;

                case Phase.InRoot:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        continue;
                    }
                    var isEvents = reader.ValueTextEquals("events"u8);
                    _sawNextToken |= reader.ValueTextEquals("nextForwardToken"u8) || reader.ValueTextEquals("nextBackwardToken"u8);
                    _sawSearchedStreams |= reader.ValueTextEquals("searchedLogStreams"u8);
                    if (isEvents && !_sawEvents)
                    {
                        var atName = reader;
                        if (!reader.Read())
                        {
                            reader = before;
                            return Step.NeedMore;
                        }
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            _sawEvents = true;
                            _phase = Phase.InEvents;
                            continue;
                        }
                        reader = atName;
                    }
                    if (!reader.TrySkip())
                    {
                        reader = before;
                        return Step.NeedMore;
                    }
                    continue;

                case Phase.InEvents:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.InRoot;
                        continue;
                    }
                    var probe = reader;
                    if (!probe.TrySkip())
                    {
                        reader = before;
                        return Step.NeedMore;
                    }
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new InvalidInputException($"{_path}: event {_events + 1:N0} of the events array is not an object");
                    }
                    if (_events == 0)
                    {
                        var first = reader;
                        using var parsed = JsonDocument.ParseValue(ref first);
                        Inspect(parsed.RootElement);
                    }
                    _events++;
                    if (_parseEvents)
                    {
                        item = ReadEvent(ref reader);
                        return Step.Event;
                    }
                    reader = probe;
                    continue;
            }
        }
    }

    /// <summary>One event object, the reader on its start; fields are taken as ReadEvent takes them from a document.</summary>
    private LogEvent ReadEvent(ref Utf8JsonReader reader)
    {
        string? stream = null, eventId = null, message = null;
        long? timestamp = null, ingested = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : Skip(ref reader);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = Millis(ref reader);
            }
            else if (reader.ValueTextEquals("eventId"u8))
            {
                reader.Read();
                eventId = reader.TokenType == JsonTokenType.String ? reader.GetString() : Skip(ref reader);
            }
            else if (reader.ValueTextEquals("logStreamName"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.String ? reader.GetString() : Skip(ref reader);
            }
            else if (reader.ValueTextEquals("ingestionTime"u8))
            {
                reader.Read();
                ingested = Millis(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return new LogEvent(_group, stream ?? _logStream, timestamp ?? 0, ingested, eventId, message ?? "");
    }

    private static string? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>Epoch milliseconds as a plain number, or whatever else AwsTime understands.</summary>
    private long? Millis(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ms))
        {
            return AwsTime.IsEpochMilliseconds(ms)
                ? ms
                : throw new InvalidInputException($"{_path}: event {_events + 1:N0} has time stamp {ms}, which is not a date between the years 1 and 9999");
        }
        using var value = JsonDocument.ParseValue(ref reader);
        return AwsTime.FromMilliseconds(value.RootElement)?.ToUnixTimeMilliseconds();
    }

    private void Inspect(JsonElement first)
    {
        _firstIsLogEvent = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("timestamp", out _) && first.TryGetProperty("message", out _);
        _firstHasFilterFields = first.ValueKind == JsonValueKind.Object && (first.TryGetProperty("eventId", out _) || first.TryGetProperty("logStreamName", out _));
    }

    private void Fill()
    {
        if (_final)
        {
            // The reader asked for more of a file that has ended; with the final block it throws instead.
            throw new InvalidInputException($"{_path}: not valid JSON (it ends early)");
        }
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _discarded += _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // One value larger than the buffer: hold all of it.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _final = true;
            return;
        }
        _end += read;
        if (!_started)
        {
            _started = true;
            if (_end >= 3 && _buffer.AsSpan(0, 3).SequenceEqual(Utf8Bom))
            {
                _start = 3;
            }
        }
    }
}
