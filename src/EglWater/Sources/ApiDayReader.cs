using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Engine;

namespace EglWater.Sources
{
    /// <summary>
    /// Reads one subscription's days over a range from a backend: the requests the backend asks for (a
    /// calendar year on the partner API, 90 days on the portal), at most <see cref="EglRangeFetcher.DefaultParallelism"/>
    /// in flight, handed out in date order as each one and every one before it is done. For consumption it
    /// also reads the day before the range and, when the range starts or ends inside a gap of the index
    /// series, the readings that bound the gap (one request back, one forward), so that the row of a day
    /// never depends on the range asked. Never asks for days before <see cref="DateRange.EarliestServedDay"/>
    /// or after today. A failed request is a batch with its error: the caller decides (a hole, an error record).
    /// </summary>
    internal sealed class ApiDayReader : IDisposable
    {
        /// <summary>How far one request looks for the reading that bounds a gap at either end of the range.</summary>
        public const int BoundDays = 365;

        private readonly IEglDayApi _api;
        private readonly long _subscription;
        private readonly DateTime _from, _to, _today;
        private readonly bool _bounds;
        private readonly EglRequestOptions _options;
        private readonly CancellationTokenSource _cancel;
        private readonly IReadOnlyList<(DateTime From, DateTime To)> _chunks;
        private readonly IReadOnlyList<Task<IReadOnlyList<EglDayRecord>>> _tasks;
        private readonly Queue<DayBatch> _ready = new Queue<DayBatch>();
        private readonly (DateTime From, DateTime To)? _window;
        private int _next;
        private bool _finished;
        private DateTime? _lastIndexDay;
        private bool _anyIndex;
        private bool _lastFailed;

        /// <param name="forConsumption">Read the day before the range and the readings that bound a gap (consumption); false reads the range as asked (index readings).</param>
        public ApiDayReader(IEglDayApi api, long subscriptionNumber, DateTime from, DateTime to, DateTime today, bool forConsumption, EglRequestOptions options, CancellationToken cancellationToken)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
            _subscription = subscriptionNumber;
            _from = from.Date;
            _to = to.Date;
            _today = today.Date;
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _bounds = forConsumption && api.Indexes != EglIndexAvailability.Never;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _window = DateRange.FetchWindow(_from, _to, _today, dayBefore: _bounds);
            _chunks = _window is { } w ? api.Split(w.From, w.To) : Array.Empty<(DateTime, DateTime)>();
            _tasks = EglRangeFetcher.Start(_chunks, (start, end, ct) => _api.ReadDaysAsync(_subscription, start, end, _options, ct), _cancel.Token);
        }

        /// <summary>How many requests cover the range (the bounds, when needed, come on top).</summary>
        public int ChunkCount => _chunks.Count;

        /// <summary>Whether any record read so far carried an index.</summary>
        public bool SawIndex => _anyIndex;

        /// <summary>The next batch in date order, or null when the read is over.</summary>
        public async Task<DayBatch?> NextAsync()
        {
            if (_ready.Count > 0) return _ready.Dequeue();
            if (_finished) return null;
            if (_next < _tasks.Count)
            {
                int i = _next++;
                var batch = await ChunkAsync(i).ConfigureAwait(false);
                _lastFailed = batch.Records is null;
                if (i == 0 && NeedsEarlierBound(batch))
                {
                    var bound = await BoundAsync(_window!.Value.From.AddDays(-BoundDays), _window.Value.From.AddDays(-1), DayBatchRole.EarlierBound).ConfigureAwait(false);
                    if (bound is not null)
                    {
                        _ready.Enqueue(batch);
                        return bound;
                    }
                }

                return batch;
            }

            _finished = true;
            if (NeedsLaterBound())
            {
                DateTime end = _to.AddDays(BoundDays) < _today ? _to.AddDays(BoundDays) : _today;
                return await BoundAsync(_to.AddDays(1), end, DayBatchRole.LaterBound).ConfigureAwait(false);
            }

            return null;
        }

        private async Task<DayBatch> ChunkAsync(int i)
        {
            var (start, end) = _chunks[i];
            try
            {
                var records = await _tasks[i].ConfigureAwait(false);
                return Batch(DayBatchRole.Chunk, i + 1, start, end, records);
            }
            catch (EglException ex)
            {
                return new DayBatch(DayBatchRole.Chunk, i + 1, _chunks.Count, start, end, null, ex);
            }
        }

        /// <summary>One request for a bounding reading: the records of its latest day (before) or earliest day (after); null when none.</summary>
        private async Task<DayBatch?> BoundAsync(DateTime from, DateTime to, DayBatchRole role)
        {
            if (from < DateRange.EarliestServedDay) from = DateRange.EarliestServedDay;
            if (from > to) return null;
            IReadOnlyList<EglDayRecord> records;
            try
            {
                records = await _api.ReadDaysAsync(_subscription, from, to, _options, _cancel.Token).ConfigureAwait(false);
            }
            catch (EglException ex)
            {
                return new DayBatch(role, 0, _chunks.Count, from, to, null, ex);
            }

            var withIndex = records.Where(r => r.Index.HasValue && r.Date >= from && r.Date <= to).ToList();
            if (withIndex.Count == 0) return null;
            DateTime day = role == DayBatchRole.EarlierBound ? withIndex.Max(r => r.Date) : withIndex.Min(r => r.Date);
            return Batch(role, 0, day, day, withIndex.Where(r => r.Date == day).ToList());
        }

        private DayBatch Batch(DayBatchRole role, int number, DateTime from, DateTime to, IReadOnlyList<EglDayRecord> records)
        {
            var inside = records.Where(r => r.Date >= from && r.Date <= to).OrderBy(r => r.Date).ToList();
            foreach (var r in inside)
            {
                if (!r.Index.HasValue) continue;
                _anyIndex = true;
                if (_lastIndexDay is null || r.Date > _lastIndexDay) _lastIndexDay = r.Date;
            }

            return new DayBatch(role, number, _chunks.Count, from, to, inside, null, records.Count - inside.Count);
        }

        /// <summary>The range starts inside a gap (or before the history): the day before it has no reading.</summary>
        private bool NeedsEarlierBound(DayBatch first) =>
            _bounds
            && first.Records is { } records
            && (_api.Indexes == EglIndexAvailability.Always || records.Any(r => r.Index.HasValue))
            && _window!.Value.From > DateRange.EarliestServedDay
            && !records.Any(r => r.Index.HasValue && r.Date == _window.Value.From);

        /// <summary>The range ends inside a gap: its last reading is before the end, days after it may be published.</summary>
        private bool NeedsLaterBound() =>
            _bounds
            && _window is not null
            && !_lastFailed
            && (_api.Indexes == EglIndexAvailability.Always || _anyIndex)
            && (_lastIndexDay is null || _lastIndexDay < _to)
            && _to < _today;

        /// <summary>Cancels the requests still in flight (the caller stopped reading: Ctrl+C, a terminating error).</summary>
        public void Dispose() => _cancel.Cancel();
    }
}
