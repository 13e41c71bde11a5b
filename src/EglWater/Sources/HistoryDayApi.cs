using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EglWater.Api;
using EglWater.Store;

namespace EglWater.Sources
{
    /// <summary>
    /// A history store read as if it were the API the subscription was synced from: the same requests (calendar
    /// years, or 90 days), the same records, so that <see cref="ApiDayReader"/> and the engine compute the same
    /// rows as online, bounds of gaps included. No request leaves the machine. One query at a time (a store
    /// connection serves one caller).
    /// </summary>
    internal sealed class HistoryDayApi : IEglDayApi
    {
        private readonly IHistoryStore _store;
        private readonly EglApiKind _api;
        private readonly object _gate = new object();

        public HistoryDayApi(IHistoryStore store, EglApiKind api)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _api = api;
        }

        /// <summary>The partner API's days always carry the index; the portal's when its answers did (known once read).</summary>
        public EglIndexAvailability Indexes => _api == EglApiKind.Partner ? EglIndexAvailability.Always : EglIndexAvailability.Sometimes;

        public IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to) => EglRangeFetcher.SplitFor(_api, from, to);

        public Task<IReadOnlyList<EglDayRecord>> ReadDaysAsync(long subscriptionNumber, DateTime from, DateTime to, EglRequestOptions options, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                return Task.FromResult(_store.Read(subscriptionNumber, from, to));
            }
        }
    }
}
