using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// Brings the class channels' messages into this app instance, as <see cref="ClassEventHub"/> does for class events: ONE
/// pattern subscription on Redis for every class's channel (made on first use), fanned out in process to the chat cards
/// and panels of a class. Thirty learners' circuits on one instance cost one subscription, and nobody polls.
/// </summary>
public sealed partial class ClassChannelHub(IConnectionMultiplexer mux, ClassChannel channelService, ILogger<ClassChannelHub> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Func<ClassChannelMessage, Task>>> _handlers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _subscribed;

    /// <summary>How many in-process subscribers <paramref name="code"/> has (for tests and the teacher page).</summary>
    public int SubscriberCount(string code) => _handlers.TryGetValue(code, out var list) ? list.Length : 0;

    /// <summary>
    /// Calls <paramref name="handler"/> for every message of class <paramref name="code"/> until the returned object is
    /// disposed. The handler runs on a thread-pool thread: a component marshals with <c>InvokeAsync</c>.
    /// </summary>
    public async Task<IDisposable> SubscribeAsync(string code, Func<ClassChannelMessage, Task> handler)
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
                await mux.GetSubscriber().SubscribeAsync(channelService.AllChannels, OnMessage).ConfigureAwait(false);
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
        // The channel names the class; a message that claims another class than its channel's is ignored.
        if (ClassChannelMessage.TryParse(message) is not { } evt || channel.ToString() != channelService.ChannelPrefix + evt.Code
            || !_handlers.TryGetValue(evt.Code, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            _ = DeliverAsync(handler, evt);
        }
    }

    private async Task DeliverAsync(Func<ClassChannelMessage, Task> handler, ClassChannelMessage evt)
    {
        try
        {
            await handler(evt).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // one circuit's failing handler must not stop the others' events
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(logger, ex, evt.Code);
        }
    }

    private void Remove(string code, Func<ClassChannelMessage, Task> handler)
    {
        while (_handlers.TryGetValue(code, out var list))
        {
            var next = list.Remove(handler);
            if (next.IsEmpty ? _handlers.TryRemove(new KeyValuePair<string, ImmutableArray<Func<ClassChannelMessage, Task>>>(code, list)) : _handlers.TryUpdate(code, next, list))
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
                await mux.GetSubscriber().UnsubscribeAsync(channelService.AllChannels, OnMessage).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Shutting down while Redis is away: the connection goes too.
            }
        }

        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A class channel handler failed (class {Code}).")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string code);

    private sealed class Subscription(ClassChannelHub hub, string code, Func<ClassChannelMessage, Task> handler) : IDisposable
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
