using System.Diagnostics;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Connection;

namespace BlazorRedis.Core.Caching.LoadGeneration;

/// <summary>
/// The dashboard's load generator (the answer to <c>ab</c> or locust): N requests at concurrency C through the
/// same product cache the API uses, so every request is measured and feeds the cache metrics.
/// </summary>
public sealed class LoadGenerator(IProductReader reader, IProductWriter writer, IProductDatabase database)
{
    /// <summary>
    /// Progress is reported at least this often while a run goes (and at every percent done), so a slow run shows its
    /// clock moving even before its first request finishes.
    /// </summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="request"/>. Cancelling, or reaching <see cref="LoadRequest.TimeLimit"/>, stops new requests
    /// (and those in flight) and returns what was measured so far.
    /// </summary>
    public async Task<LoadResult> RunAsync(LoadRequest request, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(await database.GetCountAsync(cancellationToken).ConfigureAwait(false));
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.TimeLimit is { } timeLimit)
        {
            run.CancelAfter(timeLimit);
        }

        var stop = run.Token;
        var picker = new ProductPicker(request.Products, request.Distribution);
        var latencies = new double[request.Requests];
        var next = -1;
        int completed = 0, errors = 0;
        long loads = 0, hits = 0, misses = 0, writes = 0;
        string? firstError = null;
        var reportEvery = Math.Max(1, request.Requests / 100);
        var sw = Stopwatch.StartNew();

        void Report(int done) => progress?.Report(new LoadProgress(done, request.Requests, sw.Elapsed, Interlocked.Read(ref loads), Interlocked.Read(ref hits)));

        async Task TickAsync(CancellationToken ticking)
        {
            using var timer = new PeriodicTimer(ProgressInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(ticking).ConfigureAwait(false))
                {
                    Report(Volatile.Read(ref completed));
                }
            }
            catch (OperationCanceledException) when (ticking.IsCancellationRequested)
            {
                // The run ended.
            }
        }

        async Task WorkerAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= request.Requests)
                {
                    return;
                }

                var id = picker.Next();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (request.WriteRatio > 0 && Random.Shared.NextDouble() < request.WriteRatio)
                    {
                        await writer.UpdateStockAsync(id, Random.Shared.Next(0, 500), stop).ConfigureAwait(false);
                        Interlocked.Increment(ref writes);
                    }
                    else
                    {
                        var read = await reader.GetJsonAsync(id, bypassCache: !request.Cached, stop).ConfigureAwait(false);
                        if (read.Source == ReadSource.Cache)
                        {
                            Interlocked.Increment(ref hits);
                        }
                        else
                        {
                            Interlocked.Increment(ref loads);
                            if (request.Cached)
                            {
                                Interlocked.Increment(ref misses);
                            }
                        }
                    }

                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || RedisFailures.IsRefusal(ex) || ex is LearnerInputException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    latencies[index] = double.NaN;
                }

                var done = Interlocked.Increment(ref completed);
                if (done % reportEvery == 0 || done == request.Requests)
                {
                    Report(done);
                }
            }
        }

        using var ticking = new CancellationTokenSource();
        var ticker = progress is null ? Task.CompletedTask : Task.Run(() => TickAsync(ticking.Token), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(request.Concurrency, request.Requests)).Select(_ => Task.Run(WorkerAsync, CancellationToken.None))).ConfigureAwait(false);
        sw.Stop();
        await ticking.CancelAsync().ConfigureAwait(false);
        await ticker.ConfigureAwait(false);

        var measured = latencies.Take(Math.Min(request.Requests, next + 1)).Where(l => l > 0 && !double.IsNaN(l)).Order().ToArray();
        var reads = hits + misses;
        return new LoadResult(
            request,
            completed,
            errors,
            cancellationToken.IsCancellationRequested && completed < request.Requests,
            !cancellationToken.IsCancellationRequested && stop.IsCancellationRequested && completed < request.Requests,
            sw.Elapsed,
            sw.Elapsed.TotalSeconds > 0 ? Math.Round(completed / sw.Elapsed.TotalSeconds, 1) : 0,
            Percentile(measured, 0.50),
            Percentile(measured, 0.95),
            Percentile(measured, 0.99),
            loads,
            hits,
            misses,
            writes,
            reads == 0 ? 0 : Math.Round(100.0 * hits / reads, 1),
            firstError);
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 2);

    /// <summary>Picks product ids 1..K uniformly or by Zipf's law (a precomputed CDF and a binary search).</summary>
    internal sealed class ProductPicker
    {
        private readonly int _count;
        private readonly double[]? _cdf;

        public ProductPicker(int count, KeyDistribution distribution, double exponent = 1.0)
        {
            _count = count;
            if (distribution == KeyDistribution.Zipf)
            {
                _cdf = new double[count];
                double sum = 0;
                for (var k = 1; k <= count; k++)
                {
                    sum += 1 / Math.Pow(k, exponent);
                    _cdf[k - 1] = sum;
                }

                for (var k = 0; k < count; k++)
                {
                    _cdf[k] /= sum;
                }
            }
        }

        public int Next()
        {
            if (_cdf is null)
            {
                return Random.Shared.Next(1, _count + 1);
            }

            var u = Random.Shared.NextDouble();
            var i = Array.BinarySearch(_cdf, u);
            return Math.Min((i < 0 ? ~i : i) + 1, _count);
        }
    }
}
