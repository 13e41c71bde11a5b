using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Store;

namespace EglWater.Sources
{
    /// <summary>What happened to one subscription of a fleet sync.</summary>
    internal enum FleetSyncEventKind
    {
        /// <summary>One request of its sync, written (or failed): <see cref="FleetSyncEvent.Step"/>.</summary>
        Step,

        /// <summary>Its sync ended: <see cref="FleetSyncEvent.State"/> is what the store now holds.</summary>
        Done,

        /// <summary>Another worker holds it: not synced by this one.</summary>
        Skipped,

        /// <summary>Its sync stopped on an error before its end (the store refused it, a request broke the session...).</summary>
        Failed,
    }

    /// <summary>One event of a fleet sync, handed to the caller's thread in the order it happened.</summary>
    internal sealed class FleetSyncEvent
    {
        public FleetSyncEvent(FleetSyncEventKind kind, long subscription, int done, int total, HistorySyncStep? step = null, HistorySubscriptionState? state = null, int requests = 0, Exception? error = null)
        {
            Kind = kind;
            SubscriptionNumber = subscription;
            Done = done;
            Total = total;
            Step = step;
            State = state;
            Requests = requests;
            Error = error;
        }

        public FleetSyncEventKind Kind { get; }

        public long SubscriptionNumber { get; }

        /// <summary>Subscriptions finished (done, skipped or failed) so far, this one included when it just finished.</summary>
        public int Done { get; }

        public int Total { get; }

        public HistorySyncStep? Step { get; }

        public HistorySubscriptionState? State { get; }

        /// <summary>Data requests the subscription's sync sent (Done, Failed).</summary>
        public int Requests { get; }

        public Exception? Error { get; }
    }

    /// <summary>
    /// Syncs many subscriptions into one store, <c>throttle</c> at a time, over the backend's one HTTP client (its
    /// token renewal and retries shared by all). Each subscription is taken with the store's lock first (another
    /// worker syncing it: skipped), then synced by its own <see cref="HistorySync"/>; one subscription's failure
    /// does not stop the others. The work runs on the thread pool; the caller reads the events one by one with
    /// <see cref="NextAsync"/> on its own thread (PowerShell's pipeline thread), in the order they happened.
    /// </summary>
    internal sealed class FleetSync : IDisposable
    {
        private readonly ConcurrentQueue<FleetSyncEvent> _events = new ConcurrentQueue<FleetSyncEvent>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _cancel;
        private readonly int _total;
        private readonly List<Task> _workers = new List<Task>();
        private readonly object _finishGate = new object();
        private int _done;

        public FleetSync(
            IEglDayApi api,
            EglApiKind kind,
            IHistoryStore store,
            IReadOnlyList<long> subscriptions,
            DateTime today,
            DateTime? startDate,
            EglRequestOptions options,
            DateTimeOffset now,
            int throttle,
            CancellationToken cancellationToken)
        {
            if (throttle < 1) throw new ArgumentOutOfRangeException(nameof(throttle));
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _total = subscriptions.Count;
            var gate = new SemaphoreSlim(throttle, throttle);
            foreach (long subscription in subscriptions)
            {
                _workers.Add(Task.Run(() => SyncOne(gate, api, kind, store, subscription, today, startDate, options, now)));
            }

            if (_total == 0) Post(null);
        }

        /// <summary>The next event, or null when every subscription is finished.</summary>
        public async Task<FleetSyncEvent?> NextAsync()
        {
            await _signal.WaitAsync(_cancel.Token).ConfigureAwait(false);
            _events.TryDequeue(out var next);
            return next;
        }

        /// <summary>How long <see cref="Dispose"/> waits for the workers to stop: a write in progress is one transaction that ends by itself.</summary>
        public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Stops the syncs still running (Ctrl+C, a terminating error): requests in flight are cancelled, no further
        /// chunk is written (a write in progress commits or rolls back whole), and it returns when the workers have
        /// stopped (at most <see cref="StopWait"/>), so that the caller may close the store and a new sync finds no lock held.
        /// </summary>
        /// <summary>True once <see cref="Dispose"/> (or the caller's token) has asked the workers to stop.</summary>
        internal bool Stopping => _cancel.IsCancellationRequested;

        public void Dispose()
        {
            _cancel.Cancel();
            try
            {
                Task.WaitAll(_workers.ToArray(), StopWait);
            }
            catch (AggregateException)
            {
                // SyncOne catches its own failures; nothing is lost here.
            }
        }

        private async Task SyncOne(SemaphoreSlim gate, IEglDayApi api, EglApiKind kind, IHistoryStore store, long subscription, DateTime today, DateTime? startDate, EglRequestOptions options, DateTimeOffset now)
        {
            HistorySync? sync = null;
            bool entered = false;
            try
            {
                await gate.WaitAsync(_cancel.Token).ConfigureAwait(false);
                entered = true;
                using var held = store.TryLock(subscription);
                if (held is null)
                {
                    Finish(FleetSyncEventKind.Skipped, subscription);
                    return;
                }

                sync = new HistorySync(api, kind, store, subscription, today, startDate, options, now, _cancel.Token);
                while (await sync.NextAsync().ConfigureAwait(false) is { } step)
                {
                    lock (_finishGate) Post(new FleetSyncEvent(FleetSyncEventKind.Step, subscription, _done, _total, step));
                }

                Finish(FleetSyncEventKind.Done, subscription, store.State(subscription), sync.Requests);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                Finish(FleetSyncEventKind.Failed, subscription, requests: sync?.Requests ?? 0, error: new OperationCanceledException());
            }
            catch (Exception ex)
            {
                Finish(FleetSyncEventKind.Failed, subscription, requests: sync?.Requests ?? 0, error: ex);
            }
            finally
            {
                sync?.Dispose();
                if (entered) gate.Release();
            }
        }

        private void Finish(FleetSyncEventKind kind, long subscription, HistorySubscriptionState? state = null, int requests = 0, Exception? error = null)
        {
            // Counted and queued under one lock (the steps' events too): the caller sees Done grow 1, 2, 3... never back.
            lock (_finishGate)
            {
                int done = ++_done;
                Post(new FleetSyncEvent(kind, subscription, done, _total, state: state, requests: requests, error: error));
                if (done == _total) Post(null);
            }
        }

        private void Post(FleetSyncEvent? e)
        {
            if (e is not null) _events.Enqueue(e);
            _signal.Release();
        }
    }
}
