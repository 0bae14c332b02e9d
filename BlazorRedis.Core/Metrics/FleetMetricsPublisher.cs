using System.Text.Json;
using BlazorRedis.Core.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Metrics;

/// <summary>
/// The fleet's numbers, once a second. With <c>ScaleOut:FleetMetrics</c> each snapshot of this instance is written to
/// one hash (<c>{prefix}metrics:fleet</c>, field = instance name, value = JSON; the hash expires a minute after the last
/// write) and the whole hash is read back: one HSET, EXPIRE and HGETALL per second and instance, one key, so it works on
/// a cluster too. Instances silent for <see cref="FleetMetricsOptions.FleetAliveSeconds"/> are left out and removed.
/// Off, the fleet is this instance alone and no Redis command runs.
/// </summary>
public sealed class FleetMetricsPublisher : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan HashTtl = TimeSpan.FromMinutes(1);
    private readonly ICacheMetricsFeed _feed;
    private readonly IServiceProvider _services;
    private readonly RedisKey _key;
    private readonly FleetMetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private FleetMetrics? _latest;
    private int _busy;

    public FleetMetricsPublisher(
        ICacheMetricsFeed feed,
        IServiceProvider services,
        RedisKeyspace keyspace,
        IOptions<FleetMetricsOptions> options,
        TimeProvider? time = null,
        ILogger<FleetMetricsPublisher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        ArgumentNullException.ThrowIfNull(options);
        _feed = feed;
        _services = services;
        _key = keyspace.Key("metrics", "fleet");
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>This instance's name.</summary>
    public string Self => _options.InstanceId;

    /// <summary>True when the instances share their numbers through Redis.</summary>
    public bool Enabled => _options.FleetMetrics;

    /// <summary>The last fleet read (this instance alone before the first second).</summary>
    public FleetMetrics Latest => Volatile.Read(ref _latest) ?? Alone(_feed.Recent is { Count: > 0 } recent ? recent[^1] : null);

    /// <summary>Raised once a second with the fresh fleet, on a background thread.</summary>
    public event Action<FleetMetrics>? Updated;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _feed.SnapshotPublished += OnSnapshot;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _feed.SnapshotPublished -= OnSnapshot;
        if (!Enabled)
        {
            return;
        }

        // A stopped instance leaves the fleet at once rather than after FleetAliveSeconds.
        try
        {
            await Database.HashDeleteAsync(_key, Self).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "Could not remove this instance from the fleet metrics");
        }
    }

    /// <summary>Publishes <paramref name="snapshot"/> as this instance's and reads the fleet (tests call it directly).</summary>
    internal async Task<FleetMetrics> PublishAsync(MetricsSnapshot snapshot)
    {
        var fleet = Enabled ? await ExchangeAsync(snapshot).ConfigureAwait(false) : Alone(snapshot);
        Volatile.Write(ref _latest, fleet);
        Raise(fleet);
        return fleet;
    }

    private IDatabase Database => _services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    private FleetMetrics Alone(MetricsSnapshot? snapshot) => new(
        Self,
        snapshot is null ? [new InstanceMetrics(Self, _time.GetUtcNow(), 0, 0, 0, 0, _feed.Totals)] : [InstanceMetrics.From(Self, snapshot)]);

    private void OnSnapshot(MetricsSnapshot snapshot)
    {
        // One exchange at a time: a slow Redis skips a second instead of piling them up.
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await PublishAsync(snapshot).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning(ex, "Could not exchange the fleet metrics through Redis; showing this instance alone");
                var alone = Alone(snapshot);
                Volatile.Write(ref _latest, alone);
                Raise(alone);
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        });
    }

    private async Task<FleetMetrics> ExchangeAsync(MetricsSnapshot snapshot)
    {
        var db = Database;
        var mine = InstanceMetrics.From(Self, snapshot);
        var batch = db.CreateBatch();
        var set = batch.HashSetAsync(_key, Self, JsonSerializer.Serialize(mine, Json));
        var expire = batch.KeyExpireAsync(_key, HashTtl);
        var all = batch.HashGetAllAsync(_key);
        batch.Execute();
        await Task.WhenAll(set, expire, all).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var alive = TimeSpan.FromSeconds(_options.FleetAliveSeconds);
        var instances = new List<InstanceMetrics>();
        var gone = new List<RedisValue>();
        foreach (var entry in all.Result)
        {
            InstanceMetrics? other = null;
            try
            {
                other = JsonSerializer.Deserialize<InstanceMetrics>(entry.Value.ToString(), Json);
            }
            catch (JsonException)
            {
                // Not ours to read (another version?): leave it out.
            }

            if (other is null || now - other.At > alive)
            {
                gone.Add(entry.Name);
            }
            else if (other.Instance != Self)
            {
                instances.Add(other);
            }
        }

        if (gone.Count > 0)
        {
            await db.HashDeleteAsync(_key, [.. gone]).ConfigureAwait(false);
        }

        instances.Sort((a, b) => string.CompareOrdinal(a.Instance, b.Instance));
        instances.Insert(0, mine);
        return new FleetMetrics(Self, instances);
    }

    private void Raise(FleetMetrics fleet)
    {
        if (Updated is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<FleetMetrics>>())
        {
            try
            {
                handler(fleet);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogWarning(ex, "A fleet metrics subscriber failed");
            }
        }
    }
}
