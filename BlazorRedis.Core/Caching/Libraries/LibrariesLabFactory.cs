using System.Collections.Concurrent;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// Makes a learner's <see cref="LibrariesLab"/> on a connection of its own to the app's Redis (the page owns the lab
/// and disposes it, and so the connection, when the learner leaves). The libraries' Redis L2 is held to the app's one
/// command budget (<see cref="RedisCommandBudget"/>) on that connection, as the API's is. One learner holds at most
/// <c>Libraries:MaxLabsPerLearner</c> labs at once: each is a connection with two nodes' caches and subscriptions, so
/// tab after tab must not pile them up; a lab's slot is freed when it is disposed.
/// </summary>
public sealed class LibrariesLabFactory(IConnectionMultiplexer mux, RedisKeyspace keyspace, IOptions<LibrariesOptions> options, RedisCommandBudget? budget = null)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Labs <paramref name="learner"/> holds open now.</summary>
    public int OpenLabs(LearnerId learner) => _open.TryGetValue(learner.Value, out var n) ? n : 0;

    /// <summary>A new lab for <paramref name="learner"/>, its keys under the learner's <c>libraries</c> area.</summary>
    /// <exception cref="BudgetExceededException">The learner already holds <c>Libraries:MaxLabsPerLearner</c> labs.</exception>
    public async Task<LibrariesLab> CreateAsync(LearnerId learner)
    {
        var o = options.Value;
        Reserve(learner, o.MaxLabsPerLearner);
        try
        {
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
                budget?.Timeout ?? TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds))
            {
                Closed = () => Release(learner),
            };
        }
        catch
        {
            Release(learner);
            throw;
        }
    }

    private void Reserve(LearnerId learner, int max)
    {
        while (true)
        {
            var held = OpenLabs(learner);
            if (held >= max)
            {
                throw new BudgetExceededException(
                    $"You already have the libraries lab open in {held} {(held == 1 ? "tab" : "tabs")}, the most one learner may hold (Libraries:MaxLabsPerLearner): each holds a Redis connection of its own. Close one of them (or use it) and try again.",
                    TimeSpan.FromSeconds(5));
            }

            if (held == 0 ? _open.TryAdd(learner.Value, 1) : _open.TryUpdate(learner.Value, held + 1, held))
            {
                return;
            }
        }
    }

    private void Release(LearnerId learner)
    {
        while (_open.TryGetValue(learner.Value, out var held))
        {
            if (held <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(learner.Value, held)) : _open.TryUpdate(learner.Value, held - 1, held))
            {
                return;
            }
        }
    }
}
