using System.Runtime.InteropServices;

namespace Hokusai.Incidents.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM cancel the running command: it stops at its next step, keeps what it
/// stored and exits 130. A step that does not notice in time is ended anyway a few seconds later
/// (stored writes are transactions, so that loses nothing committed); a second signal ends the
/// process at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    /// <summary>How long a cancelled command may take to stop by itself.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private Timer? _watchdog;

    public TerminationSignals(TextWriter error, CancellationToken outer)
    {
        _error = error;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_cancel.IsCancellationRequested)
        {
            return; // second signal: let the default action end the process
        }
        context.Cancel = true;
        _watchdog = new Timer(_ =>
        {
            _error.WriteLine($"incidents: error: cancelled ({context.Signal}); the current step did not stop within {Grace.TotalSeconds:0} s, so it was ended; what was stored before it is kept");
            _error.Flush();
            Environment.Exit(130);
        }, null, Grace, Timeout.InfiniteTimeSpan);
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }
        _watchdog?.Dispose();
        _cancel.Dispose();
    }
}
