using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Engine;
using EglWater.Store;

namespace EglWater.Sources
{
    /// <summary>Which part of a sync a step belongs to.</summary>
    internal enum HistorySyncPhase
    {
        /// <summary>From -StartDate, or from the store's recent days, to today.</summary>
        Forward,

        /// <summary>Back in time, as far as the API serves.</summary>
        Backward,
    }

    /// <summary>One request of a sync: its days, and what writing them changed, or why it failed.</summary>
    internal sealed class HistorySyncStep
    {
        public HistorySyncStep(HistorySyncPhase phase, DateTime from, DateTime to, int records, HistoryWrite written, Exception? error, bool reachedStart)
        {
            Phase = phase;
            From = from;
            To = to;
            Records = records;
            Written = written;
            Error = error;
            ReachedStart = reachedStart;
        }

        public HistorySyncPhase Phase { get; }

        public DateTime From { get; }

        public DateTime To { get; }

        /// <summary>Records the API gave for the days asked.</summary>
        public int Records { get; }

        public HistoryWrite Written { get; }

        /// <summary>Why the request failed (nothing of it was written), or null.</summary>
        public Exception? Error { get; }

        /// <summary>Whether the backward walk ended here: the API serves nothing older.</summary>
        public bool ReachedStart { get; }
    }

    /// <summary>
    /// Syncs one subscription's history into a store: reads the days <see cref="HistorySyncPlan"/> chooses and
    /// writes each request's days in one transaction, step by step so that the caller reports each one. Forward
    /// requests run in parallel (at most <see cref="EglRangeFetcher.DefaultParallelism"/>) and are written in date
    /// order; the backward walk sends two requests at a time and writes them newest first, recording how far back
    /// it got after each one, so that a sync killed in the middle resumes where it stopped. A failed forward
    /// request ends the forward part (nothing after it is written, so the next sync reads those days again); a
    /// failed backward request ends the walk for this run (the next sync goes on from there). Every record written
    /// and every revision is stamped with the sync's start time.
    /// </summary>
    internal sealed class HistorySync : IDisposable
    {
        /// <summary>Backward requests sent at once: the second one is usually needed, and costs no extra wait.</summary>
        public const int BackwardWidth = 2;

        private readonly IEglDayApi _api;
        private readonly EglApiKind _kind;
        private readonly IHistoryStore _store;
        private readonly long _subscription;
        private readonly DateTime? _startDate;
        private readonly EglRequestOptions _options;
        private readonly DateTimeOffset _now;
        private readonly CancellationTokenSource _cancel;
        private readonly IReadOnlyList<(DateTime From, DateTime To)> _forward;
        private readonly IReadOnlyList<Task<IReadOnlyList<EglDayRecord>>> _forwardTasks;
        private readonly Queue<((DateTime From, DateTime To) Days, Task<IReadOnlyList<EglDayRecord>> Task)> _backward = new();
        private DateTime? _backwardEnd;
        private bool _backwardFirst;
        private (DateTime From, DateTime To)? _newest;
        private int _emptyInARow;
        private int _nextForward;
        private int _requests;

        public HistorySync(IEglDayApi api, EglApiKind kind, IHistoryStore store, long subscriptionNumber, DateTime today, DateTime? startDate, EglRequestOptions options, DateTimeOffset now, CancellationToken cancellationToken)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
            _kind = kind;
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _subscription = subscriptionNumber;
            _startDate = startDate?.Date;
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _now = now;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            var state = store.State(subscriptionNumber);
            if (state is not null && state.Api != kind)
                throw new EglHistoryApiMismatchException(store.Location, subscriptionNumber, state.Api.ToString(), kind.ToString());

            today = today.Date;
            _forward = HistorySyncPlan.ForwardStart(state, today, _startDate) is { } from
                ? api.Split(from, today)
                : Array.Empty<(DateTime, DateTime)>();
            _backwardEnd = HistorySyncPlan.BackwardEnd(state, today, _startDate);
            _backwardFirst = state is null;
            _forwardTasks = EglRangeFetcher.Start(_forward, Read, _cancel.Token);
        }

        /// <summary>Data requests sent so far.</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>How many forward requests this sync makes (the backward walk's count is known only at its end).</summary>
        public int ForwardCount => _forward.Count;

        /// <summary>The next request's outcome, written to the store, or null when the sync is over.</summary>
        public async Task<HistorySyncStep?> NextAsync()
        {
            if (_nextForward < _forwardTasks.Count)
            {
                int i = _nextForward++;
                var days = _forward[i];
                IReadOnlyList<EglDayRecord> records;
                try
                {
                    records = await _forwardTasks[i].ConfigureAwait(false);
                }
                catch (EglException ex)
                {
                    // Nothing from here on is written: the store's last day stays before these days, and the next
                    // sync reads from there again. The later requests finish unread.
                    for (int j = i + 1; j < _forwardTasks.Count; j++) Observe(_forwardTasks[j]);
                    _nextForward = _forwardTasks.Count;
                    return new HistorySyncStep(HistorySyncPhase.Forward, days.From, days.To, 0, default, ex, false);
                }

                bool first = i == 0 && _startDate is not null;
                _cancel.Token.ThrowIfCancellationRequested();
                var written = _store.Write(_subscription, _kind, days.From, days.To, records, first ? days.From : null, first, _now);
                return new HistorySyncStep(HistorySyncPhase.Forward, days.From, days.To, Inside(records, days).Count(), written, null, false);
            }

            if (_backwardEnd is null && _backward.Count == 0) return null;
            if (_backward.Count == 0) QueueBackward();
            var (range, task) = _backward.Dequeue();
            IReadOnlyList<EglDayRecord> got;
            try
            {
                got = await task.ConfigureAwait(false);
            }
            catch (EglException ex)
            {
                StopBackward();
                return new HistorySyncStep(HistorySyncPhase.Backward, range.From, range.To, 0, default, ex, false);
            }

            int count = Inside(got, range).Count();
            bool countsAsEmpty = count == 0 && !IsNewest(range);
            _emptyInARow = countsAsEmpty ? _emptyInARow + 1 : 0;
            bool reachedStart = _emptyInARow >= HistorySyncPlan.EmptyRequestsToStop(_kind) || range.From <= DateRange.EarliestServedDay;
            _cancel.Token.ThrowIfCancellationRequested();
            var write = _store.Write(_subscription, _kind, range.From, range.To, got, range.From, reachedStart, _now);
            if (reachedStart) StopBackward();
            return new HistorySyncStep(HistorySyncPhase.Backward, range.From, range.To, count, write, null, reachedStart);
        }

        private bool IsNewest((DateTime From, DateTime To) range) => _newest is { } n && n == range;

        /// <summary>Sends the next <see cref="BackwardWidth"/> requests of the walk at once.</summary>
        private void QueueBackward()
        {
            for (int i = 0; i < BackwardWidth && _backwardEnd is { } end; i++)
            {
                var range = HistorySyncPlan.BackwardChunk(_kind, end, _backwardFirst);
                if (_backwardFirst) _newest = range;
                _backwardFirst = false;
                var task = Task.Run(() => Read(range.From, range.To, _cancel.Token), _cancel.Token);
                _backward.Enqueue((range, task));
                _backwardEnd = range.From <= DateRange.EarliestServedDay ? (DateTime?)null : range.From.AddDays(-1);
            }
        }

        /// <summary>Ends the walk: requests already sent are left to finish unread (their days are not written).</summary>
        private void StopBackward()
        {
            _backwardEnd = null;
            while (_backward.Count > 0)
            {
                var (_, task) = _backward.Dequeue();
                Observe(task);
            }
        }

        /// <summary>A request whose answer is not used: its failure, if any, is observed (no unobserved task exception).</summary>
        private static void Observe(Task task) => task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

        private Task<IReadOnlyList<EglDayRecord>> Read(DateTime from, DateTime to, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return _api.ReadDaysAsync(_subscription, from, to, _options, cancellationToken);
        }

        private static IEnumerable<EglDayRecord> Inside(IReadOnlyList<EglDayRecord> records, (DateTime From, DateTime To) range) =>
            records.Where(r => r.Date >= range.From && r.Date <= range.To);

        /// <summary>Cancels the requests still in flight (Ctrl+C, a terminating error).</summary>
        public void Dispose() => _cancel.Cancel();
    }
}
