using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// Connections of their own for the workbench's blocking commands (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK…). A blocking
/// command holds its connection until it answers, so it must never go through the multiplexer every learner shares:
/// each runs alone on one of at most <see cref="WorkbenchOptions.MaxBlockingConnections"/> connections, opened when
/// first needed and kept for the next. When all are busy the command is refused at once rather than queued.
/// </summary>
public sealed class BlockingConnections : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _shared;
    private readonly WorkbenchOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<ConnectionMultiplexer> _idle = [];
    private readonly ConcurrentDictionary<ConnectionMultiplexer, byte> _all = new();
    private bool _disposed;

    public BlockingConnections(IConnectionMultiplexer shared, IOptions<WorkbenchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _shared = shared ?? throw new ArgumentNullException(nameof(shared));
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.MaxBlockingConnections, _options.MaxBlockingConnections);
    }

    /// <summary>The longest a blocking command may wait.</summary>
    public TimeSpan MaxBlock => TimeSpan.FromMilliseconds(_options.MaxBlockMilliseconds);

    /// <summary>Connections open (busy or idle); one whose call ended without a reply is closed and no longer counted.</summary>
    public int Opened => _all.Count;

    /// <summary>
    /// Runs <paramref name="call"/> on a connection no one else is using, and gives the connection back after it
    /// answered (a reply or a Redis error); after any other failure, such as a timeout, the connection is closed.
    /// Throws <see cref="LearnerInputException"/> when every blocking connection is busy.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _slots.WaitAsync(0).ConfigureAwait(false))
        {
            throw new LearnerInputException($"ERR all {_options.MaxBlockingConnections} connections the workbench keeps for blocking commands are waiting right now. Try again in a moment, or use the non-blocking form (LPOP, XREAD without BLOCK …).");
        }

        ConnectionMultiplexer? connection = null;
        var answered = false;
        try
        {
            connection = _idle.TryTake(out var idle) && idle.IsConnected ? idle : await OpenAsync().ConfigureAwait(false);
            var result = await call(connection.GetDatabase()).ConfigureAwait(false);
            answered = true;
            return result;
        }
        catch (RedisServerException)
        {
            answered = true; // Redis replied (with an error), so the connection is free again
            throw;
        }
        finally
        {
            if (connection is not null)
            {
                if (_disposed || !answered)
                {
                    // A call that ended without its reply (a timeout) may still be blocked in Redis: the connection
                    // is closed, never given to the next command.
                    _all.TryRemove(connection, out _);
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    _idle.Add(connection);
                }
            }

            _slots.Release();
        }
    }

    private async Task<ConnectionMultiplexer> OpenAsync()
    {
        var options = ConfigurationOptions.Parse(_shared.Configuration);
        var timeout = (int)MaxBlock.TotalMilliseconds + 5_000;
        options.AsyncTimeout = timeout;
        options.SyncTimeout = timeout;
        options.ClientName = "blazorredis-workbench-blocking";
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        _all[connection] = 0;
        return connection;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var connection in _all.Keys)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _all.Clear();
    }
}
