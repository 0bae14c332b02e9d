using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>
/// Applies the shared catalog's queued write-behind entries to the database in the background (a
/// <see cref="WriteBehindLoop"/> as consumer <c>Caching:WriteBehindConsumer</c>), unless
/// <c>Caching:WriteBehindWorkerEnabled</c> is false.
/// </summary>
public sealed class WriteBehindWorker(WriteBehindService queue, IOptions<CachingOptions> options, ILogger<WriteBehindWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WriteBehindWorkerEnabled)
        {
            logger.LogInformation("The write-behind worker is off (Caching:WriteBehindWorkerEnabled=false)");
            return Task.CompletedTask;
        }

        return new WriteBehindLoop(queue, settings, settings.WriteBehindConsumer, logger).RunAsync(stoppingToken);
    }
}
