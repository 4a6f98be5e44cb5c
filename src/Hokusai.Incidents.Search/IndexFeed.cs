using System.Collections.Concurrent;
using Hokusai.Incidents.Storage;

namespace Hokusai.Incidents.Search;

/// <summary>
/// Indexes incidents on a second core while a long write (an archive import) is still reading and
/// storing the next ones, so the index is current when the command returns instead of being rebuilt
/// after it. The writer hands over each incident as stored, with its evidence, once its batch is
/// committed; the feed's thread reads the store only to start the index of an empty one afresh.
/// </summary>
public sealed class IndexFeed : IDisposable
{
    private readonly SearchIndex _index;
    private readonly BlockingCollection<(Incident Incident, IReadOnlyList<Evidence> Evidence)> _queue = new(boundedCapacity: 256);
    private readonly Task _worker;
    private bool _finished;

    private IndexFeed(SearchIndex index, long startSequence, bool currentAtStart, bool fresh, IIncidentStore store)
    {
        _index = index;
        _startSequence = startSequence;
        _currentAtStart = currentAtStart;
        // Opening Lucene's writer (and starting an empty store's index) is worth a few hundred
        // milliseconds of start-up: done on the feed's own thread, beside the writer's first work.
        _worker = Task.Factory.StartNew(() =>
        {
            if (fresh)
            {
                index.Rebuild(store);
            }
            Drain();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private readonly long _startSequence;
    private readonly bool _currentAtStart;
    private long _ownChanges;

    /// <summary>
    /// Starts a feed for the store's index, or returns null when the index cannot be fed: it is
    /// missing, damaged or of another schema while the store already holds incidents, which only a
    /// full rebuild (after the write) can index.
    /// </summary>
    public static IndexFeed? Start(IIncidentStore store)
    {
        var index = SearchIndex.Open(IndexSchema.DirectoryFor(store.Location));
        try
        {
            var sequence = store.ChangeSequence;
            var check = index.Check(sequence);
            var fresh = check.State is IndexState.Missing or IndexState.OtherSchema or IndexState.Unreadable;
            if (fresh && store.List().Count > 0)
            {
                index.Dispose();
                return null;
            }
            // An empty store's index is started afresh, which also clears any damage.
            return new IndexFeed(index, sequence, fresh || check.IsCurrent, fresh, store);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tells the feed how many store changes the writer itself made (and handed over) since the feed
    /// started, counted inside its write transactions. When the store's change sequence moved by
    /// exactly that much, nobody else wrote, and the index needs no catching up at the end.
    /// </summary>
    public void OwnChanges(long count) => _ownChanges += count;

    /// <summary>Queues an incident as stored, with all its evidence, for (re-)indexing; waits when the indexer is far behind.</summary>
    public void Written(Incident incident, IReadOnlyList<Evidence> evidence)
    {
        if (_worker.IsFaulted)
        {
            // Stop feeding a failed indexer; Finish reports why.
            return;
        }
        try
        {
            _queue.Add((incident, evidence));
        }
        catch (InvalidOperationException)
        {
            // The indexer stopped taking work (it failed); Finish reports why.
        }
    }

    /// <summary>Marks the end of a batch: the feed writes what it indexed so far once it gets here.</summary>
    public void BatchDone() => Written(BatchEndMarker, []);

    private static readonly Incident BatchEndMarker = new() { Id = "", Title = "" };

    /// <summary>
    /// Waits for the queued incidents, then catches up with anything else written meanwhile (by this
    /// command or another process) and commits, recording the store's change sequence.
    /// </summary>
    public void Finish(IIncidentStore store)
    {
        _finished = true;
        _queue.CompleteAdding();
        try
        {
            _worker.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new IOException($"search index at {_index.Location}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        // Read first: a write racing the catch-up leaves the index marked behind, never ahead.
        var sequence = store.ChangeSequence;
        if (!_currentAtStart || sequence - _startSequence != _ownChanges)
        {
            // Someone else wrote meanwhile (or the index was behind already): compare every incident.
            _index.CatchUp(store);
        }
        _index.Commit(sequence);
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // Abandoned (the write failed): nothing queued is committed; the next search catches up.
            _queue.CompleteAdding();
            while (_queue.TryTake(out _))
            {
            }
            try
            {
                _worker.Wait();
            }
            catch (AggregateException)
            {
            }
        }
        _queue.Dispose();
        _index.Dispose();
    }

    private void Drain()
    {
        try
        {
            foreach (var (incident, evidence) in _queue.GetConsumingEnumerable())
            {
                if (ReferenceEquals(incident, BatchEndMarker))
                {
                    // Segment writing happens here, beside the writer's next batch, not in the final commit.
                    _index.Flush();
                    continue;
                }
                // Delete-then-add is buffered by the writer; an incident not in the index yet deletes nothing.
                _index.Remove(incident.Id);
                _index.Add(incident, evidence);
            }
        }
        finally
        {
            // A failed indexer must not leave the writer blocked on a full queue.
            _queue.CompleteAdding();
        }
    }
}
