using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EglWater;

namespace EglWater.Sources
{
    /// <summary>
    /// Splits a long range into chunks and fetches them with bounded parallelism. The caller gets
    /// one task per chunk, in date order, and can write each chunk's rows as soon as it and every
    /// chunk before it are complete.
    /// </summary>
    internal static class EglRangeFetcher
    {
        public const int DefaultChunkDays = 365;
        public const int DefaultParallelism = 4;

        /// <summary>Inclusive [from, to] split into consecutive chunks of at most <paramref name="chunkDays"/> days.</summary>
        public static IReadOnlyList<(DateTime From, DateTime To)> Split(DateTime from, DateTime to, int chunkDays = DefaultChunkDays)
        {
            if (chunkDays < 1) throw new ArgumentOutOfRangeException(nameof(chunkDays));
            from = from.Date;
            to = to.Date;
            var chunks = new List<(DateTime, DateTime)>();
            for (var start = from; start <= to; start = start.AddDays(chunkDays))
            {
                var end = start.AddDays(chunkDays - 1);
                chunks.Add((start, end < to ? end : to));
            }

            return chunks;
        }

        /// <summary>The customer portal's requests: 90 days each, as the public clients ask.</summary>
        public const int PortalChunkDays = 90;

        /// <summary>
        /// The requests an API reads [from, to] in: calendar years on the partner API, 90 days on the portal. The
        /// history store reads its days in the same windows, so that its rows are the online rows.
        /// </summary>
        public static IReadOnlyList<(DateTime From, DateTime To)> SplitFor(EglApiKind api, DateTime from, DateTime to) =>
            api == EglApiKind.Partner ? SplitCalendarYears(from, to) : Split(from, to, PortalChunkDays);

        /// <summary>The longest range one partner request covers: a leap year and the day before it.</summary>
        public const int MaximumYearRequestDays = 367;

        /// <summary>
        /// Inclusive [from, to] in the partner API's requests: one request when it spans at most
        /// <see cref="MaximumYearRequestDays"/> days (a calendar year read with the day before it, 2024-12-31..2025-12-31,
        /// or a sync's last weeks across New Year); else one request per calendar year, the first one starting at
        /// <paramref name="from"/> and ending on the 31 December of the year of the day after it.
        /// </summary>
        public static IReadOnlyList<(DateTime From, DateTime To)> SplitCalendarYears(DateTime from, DateTime to)
        {
            from = from.Date;
            to = to.Date;
            var chunks = new List<(DateTime, DateTime)>();
            if (from > to) return chunks;
            if ((to - from).TotalDays < MaximumYearRequestDays)
            {
                chunks.Add((from, to));
                return chunks;
            }

            DateTime start = from;
            int year = from == DateTime.MaxValue.Date ? from.Year : from.AddDays(1).Year;
            while (true)
            {
                DateTime yearEnd = new DateTime(year, 12, 31);
                DateTime end = yearEnd < to ? yearEnd : to;
                chunks.Add((start, end));
                if (end >= to) break;
                start = end.AddDays(1);
                year = start.Year;
            }

            return chunks;
        }

        public static IReadOnlyList<Task<IReadOnlyList<T>>> Start<T>(
            Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<T>>> fetch,
            DateTime from,
            DateTime to,
            CancellationToken cancellationToken,
            int chunkDays = DefaultChunkDays,
            int parallelism = DefaultParallelism) =>
            Start(Split(from, to, chunkDays), fetch, cancellationToken, parallelism);

        /// <summary>Starts one task per chunk, at most <paramref name="parallelism"/> running at a time, in the chunks' order.</summary>
        public static IReadOnlyList<Task<IReadOnlyList<T>>> Start<T>(
            IReadOnlyList<(DateTime From, DateTime To)> chunks,
            Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<T>>> fetch,
            CancellationToken cancellationToken,
            int parallelism = DefaultParallelism)
        {
            if (parallelism < 1) throw new ArgumentOutOfRangeException(nameof(parallelism));
            var gate = new SemaphoreSlim(parallelism, parallelism);
            var tasks = new List<Task<IReadOnlyList<T>>>();
            foreach (var (start, end) in chunks)
            {
                tasks.Add(Task.Run(
                    async () =>
                    {
                        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            return await fetch(start, end, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            gate.Release();
                        }
                    },
                    cancellationToken));
            }

            return tasks;
        }
    }
}
