using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hokusai.Incidents.Aws.Tests.Fakes;

public sealed record HttpRequestData(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>What to send back; <see cref="TruncateAt"/> cuts the body short and drops the connection, <see cref="Reset"/> sends nothing.</summary>
public sealed record HttpResponseData(int Status, string Body, string ContentType = "application/x-amz-json-1.1")
{
    public int? TruncateAt { get; init; }
    public bool Reset { get; init; }
    public TimeSpan Delay { get; init; }
}

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 over a raw socket, so tests control the bytes on the wire
/// (short bodies, dropped connections, slow answers) in ways HttpListener does not allow.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<HttpRequestData, Task<HttpResponseData>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LocalHttpServer(Func<HttpRequestData, Task<HttpResponseData>> handler)
    {
        _handler = handler;
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            var reader = new BufferedReader(stream);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var requestLine = await reader.ReadLineAsync(_stop.Token);
                    if (string.IsNullOrEmpty(requestLine))
                    {
                        return;
                    }
                    var parts = requestLine.Split(' ');
                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    string? line;
                    while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                    {
                        var colon = line.IndexOf(':');
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                    var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
                    var body = await reader.ReadBytesAsync(length, _stop.Token);
                    var response = await _handler(new HttpRequestData(parts[0], parts[1], headers, body));
                    if (response.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(response.Delay, _stop.Token);
                    }
                    if (response.Reset)
                    {
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                    var payload = Encoding.UTF8.GetBytes(response.Body);
                    var head = $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\nContent-Type: {response.ContentType}\r\n" +
                        $"Content-Length: {payload.Length}\r\nx-amzn-RequestId: {Guid.NewGuid()}\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    if (response.TruncateAt is { } cut)
                    {
                        await stream.WriteAsync(payload.AsMemory(0, Math.Min(cut, payload.Length)), _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                        return;
                    }
                    await stream.WriteAsync(payload, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(ct))
                {
                    return line.Count == 0 ? null : Encoding.ASCII.GetString([.. line]);
                }
                var b = _buffer[_start++];
                if (b == '\n')
                {
                    if (line.Count > 0 && line[^1] == '\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }
                    return Encoding.ASCII.GetString([.. line]);
                }
                line.Add(b);
            }
        }

        public async Task<byte[]> ReadBytesAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(ct))
                {
                    throw new IOException("connection closed inside the body");
                }
                var n = Math.Min(count - filled, _end - _start);
                Array.Copy(_buffer, _start, result, filled, n);
                _start += n;
                filled += n;
            }
            return result;
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, ct);
            return _end > 0;
        }
    }
}
