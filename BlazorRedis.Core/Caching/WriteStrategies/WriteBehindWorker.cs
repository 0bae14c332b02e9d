using BlazorRedis.Core.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>Applies queued write-behind entries to the database in the background, one pass after another.</summary>
public sealed class WriteBehindWorker(WriteBehindService queue, IOptions<CachingOptions> options, ILogger<WriteBehindWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WriteBehindWorkerEnabled)
        {
            logger.LogInformation("The write-behind worker is off (Caching:WriteBehindWorkerEnabled=false)");
            return;
        }

        var idle = TimeSpan.FromMilliseconds(settings.WriteBehindPollMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (queue.Paused)
                {
                    await Task.Delay(idle, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var pass = await queue.ProcessOnceAsync(settings.WriteBehindConsumer, stoppingToken).ConfigureAwait(false);
                if (pass.Replayed)
                {
                    logger.LogInformation("Write-behind replayed {Count} pending entries ({Applied} applied, {Skipped} already applied)", pass.Read, pass.Applied, pass.Skipped);
                }

                if (pass.Read == 0)
                {
                    await Task.Delay(idle, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                logger.LogWarning("Write-behind worker cannot reach Redis ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
            catch (RedisServerException ex)
            {
                // Redis is up but refused (e.g. NOGROUP after a restart emptied it: the next pass creates the group
                // again). Not an outage, and no reason to stop the host: say what Redis said and try again.
                logger.LogWarning("Redis refused a write-behind command ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
