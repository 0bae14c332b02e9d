using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>Healthy when Redis answers PING within two seconds.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer mux) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var rtt = await mux.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PING answered in {rtt.TotalMilliseconds:0.###} ms");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis did not answer PING within 2 s");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy("Redis is unreachable: " + ex.GetType().Name);
        }
    }
}
