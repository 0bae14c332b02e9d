using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// Brings class events into this app instance: ONE pattern subscription on Redis for every class (made on first use),
/// fanned out in process to the components that subscribed to a class. A hundred learners' circuits on one instance
/// cost one subscription, not a hundred, and nobody polls.
/// </summary>
public sealed partial class ClassEventHub(IConnectionMultiplexer mux, ClassService classes, ILogger<ClassEventHub> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Func<ClassEvent, Task>>> _handlers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _subscribed;

    /// <summary>How many in-process subscribers <paramref name="code"/> has (for tests and the teacher page).</summary>
    public int SubscriberCount(string code) => _handlers.TryGetValue(code, out var list) ? list.Length : 0;

    /// <summary>
    /// Calls <paramref name="handler"/> for every event of class <paramref name="code"/> until the returned object is
    /// disposed. The handler runs on a thread-pool thread: a component marshals with <c>InvokeAsync</c>.
    /// </summary>
    public async Task<IDisposable> SubscribeAsync(string code, Func<ClassEvent, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(handler);
        await EnsureSubscribedAsync().ConfigureAwait(false);
        _handlers.AddOrUpdate(code, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, code, handler);
    }

    private async Task EnsureSubscribedAsync()
    {
        if (_subscribed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_subscribed)
            {
                await mux.GetSubscriber().SubscribeAsync(classes.AllChannels, OnMessage).ConfigureAwait(false);
                _subscribed = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        // The channel names the class; an event that claims another class than its channel's is ignored.
        if (ClassEvent.TryParse(message) is not { } evt || channel.ToString() != classes.ChannelPrefix + evt.Code
            || !_handlers.TryGetValue(evt.Code, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            _ = DeliverAsync(handler, evt);
        }
    }

    private async Task DeliverAsync(Func<ClassEvent, Task> handler, ClassEvent evt)
    {
        try
        {
            await handler(evt).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // one circuit's failing handler must not stop the others' events
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(logger, ex, evt.Kind, evt.Code);
        }
    }

    private void Remove(string code, Func<ClassEvent, Task> handler)
    {
        while (_handlers.TryGetValue(code, out var list))
        {
            var next = list.Remove(handler);
            if (next.IsEmpty ? _handlers.TryRemove(new KeyValuePair<string, ImmutableArray<Func<ClassEvent, Task>>>(code, list)) : _handlers.TryUpdate(code, next, list))
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_subscribed)
        {
            try
            {
                await mux.GetSubscriber().UnsubscribeAsync(classes.AllChannels, OnMessage).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Shutting down while Redis is away: the connection goes too.
            }
        }

        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A class event handler failed ({Kind} in class {Code}).")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, ClassEventKind kind, string code);

    private sealed class Subscription(ClassEventHub hub, string code, Func<ClassEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Remove(code, handler);
            }
        }
    }
}
