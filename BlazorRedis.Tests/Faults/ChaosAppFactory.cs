using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The real app on Kestrel whose one multiplexer is wrapped by <see cref="ChaosRedis"/>, with a fast database and a
/// 200 ms command budget (Redis:CommandTimeoutMs); <paramref name="configure"/> may replace more services.
/// </summary>
internal sealed class ChaosAppFactory(string redisConfiguration, ChaosOptions chaos, Action<IServiceCollection>? configure = null)
    : BlazorRedisAppFactory(redisConfiguration, new Dictionary<string, string?>
    {
        ["Catalog:DatabaseLatencyMs"] = "20",
        ["Redis:CommandTimeoutMs"] = "200",
    })
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IConnectionMultiplexer>(sp =>
                ChaosRedis.Wrap(ConnectionMultiplexer.Connect(sp.GetRequiredService<RedisEndpoint>().CreateOptions()), chaos));
            configure?.Invoke(services);
        });
    }
}
