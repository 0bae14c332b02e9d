using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// Makes a learner's <see cref="LibrariesLab"/> on a connection of its own to the app's Redis (the page owns the lab
/// and disposes it, and so the connection, when the learner leaves). The libraries' Redis L2 is held to the app's one
/// command budget (<see cref="RedisCommandBudget"/>) on that connection, as the API's is.
/// </summary>
public sealed class LibrariesLabFactory(IConnectionMultiplexer mux, RedisKeyspace keyspace, IOptions<LibrariesOptions> options, RedisCommandBudget? budget = null)
{
    /// <summary>A new lab for <paramref name="learner"/>, its keys under the learner's <c>libraries</c> area.</summary>
    public async Task<LibrariesLab> CreateAsync(LearnerId learner)
    {
        var o = options.Value;
        var config = ConfigurationOptions.Parse(mux.Configuration);
        config.ClientName = "blazorredis-libraries-lab";
        config.AbortOnConnectFail = false;
        var own = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        if (!own.IsConnected)
        {
            // The lab's caches wait for their backplane subscription: never build them on a Redis that is away.
            await own.DisposeAsync().ConfigureAwait(false);
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis is unreachable right now, so the lab could not start.", null, CommandStatus.WaitingToBeSent);
        }

        return new LibrariesLab(own, keyspace.ForLearner(learner), TimeSpan.FromSeconds(o.MemorySeconds), TimeSpan.FromSeconds(o.RedisSeconds), TimeSpan.FromMilliseconds(o.DatabaseLatencyMs),
            budget?.Timeout ?? TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds));
    }
}
