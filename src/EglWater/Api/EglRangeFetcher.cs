using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EglWater;

namespace EglWater.Api
{
    /// <summary>
    /// Splits a long range into chunks and fetches them with bounded parallelism. The caller gets
    /// one task per chunk, in date order, and can write each chunk's rows as soon as it and every
    /// chunk before it are complete.
    /// </summary>
    public static class EglRangeFetcher
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

        public static IReadOnlyList<Task<IReadOnlyList<T>>> Start<T>(
            Func<DateTime, DateTime, CancellationToken, Task<IReadOnlyList<T>>> fetch,
            DateTime from,
            DateTime to,
            CancellationToken cancellationToken,
            int chunkDays = DefaultChunkDays,
            int parallelism = DefaultParallelism)
        {
            if (parallelism < 1) throw new ArgumentOutOfRangeException(nameof(parallelism));
            var gate = new SemaphoreSlim(parallelism, parallelism);
            var tasks = new List<Task<IReadOnlyList<T>>>();
            foreach (var (start, end) in Split(from, to, chunkDays))
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
