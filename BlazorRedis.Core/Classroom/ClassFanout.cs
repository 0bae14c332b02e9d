using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// Brings one kind of class message into this app instance: ONE pattern subscription on Redis for every class (made on
/// first use), fanned out in process to the components that subscribed to a class. A hundred learners' circuits on one
/// instance cost one subscription, not a hundred, and nobody polls. <see cref="ClassEventHub"/> carries class events,
/// <see cref="ClassChannelHub"/> the class channel's messages. The subscription is a <see cref="ChannelMessageQueue"/>, so
/// each handler is called in the order the messages were published (a handler-style subscription of StackExchange.Redis
/// runs its callbacks concurrently: "bring everyone here" twice could leave a learner on the first page, and a reply in
/// the class channel could arrive before its question).
/// </summary>
/// <typeparam name="T">The message, parsed from the published JSON.</typeparam>
/// <param name="mux">The app's connection.</param>
/// <param name="allChannels">The pattern of every class's channel.</param>
/// <param name="channelPrefix">The channel name before the class code (a message must name the class of its channel).</param>
/// <param name="logger">Where a failing handler is reported.</param>
public abstract partial class ClassFanout<T>(IConnectionMultiplexer mux, RedisChannel allChannels, string channelPrefix, ILogger logger) : IAsyncDisposable
    where T : class
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Func<T, Task>>> _handlers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ChannelMessageQueue? _queue;

    /// <summary>How many in-process subscribers <paramref name="code"/> has (for tests and the teacher page).</summary>
    public int SubscriberCount(string code) => _handlers.TryGetValue(code, out var list) ? list.Length : 0;

    /// <summary>
    /// Calls <paramref name="handler"/> for every event of class <paramref name="code"/> until the returned object is
    /// disposed. The handler runs on a thread-pool thread: a component marshals with <c>InvokeAsync</c>.
    /// </summary>
    public async Task<IDisposable> SubscribeAsync(string code, Func<T, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(handler);
        await EnsureSubscribedAsync().ConfigureAwait(false);
        _handlers.AddOrUpdate(code, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, code, handler);
    }

    private async Task EnsureSubscribedAsync()
    {
        if (_queue is not null)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_queue is null)
            {
                var queue = await mux.GetSubscriber().SubscribeAsync(allChannels).ConfigureAwait(false);
                queue.OnMessage(m => OnMessage(m.Channel, m.Message)); // one message at a time, in order
                _queue = queue;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        // The channel names the class; a message that claims another class than its channel's is ignored. Each handler
        // starts here, in order; it awaits on its own, so a slow one holds up neither the others nor the next message.
        if (Parse(message) is not { } evt || channel.ToString() != channelPrefix + CodeOf(evt)
            || !_handlers.TryGetValue(CodeOf(evt), out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            _ = DeliverAsync(handler, evt);
        }
    }

    private async Task DeliverAsync(Func<T, Task> handler, T evt)
    {
        try
        {
            await handler(evt).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // one circuit's failing handler must not stop the others' events
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(logger, ex, Describe(evt), CodeOf(evt));
        }
    }

    private void Remove(string code, Func<T, Task> handler)
    {
        while (_handlers.TryGetValue(code, out var list))
        {
            var next = list.Remove(handler);
            if (next.IsEmpty ? _handlers.TryRemove(new KeyValuePair<string, ImmutableArray<Func<T, Task>>>(code, list)) : _handlers.TryUpdate(code, next, list))
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_queue is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Shutting down while Redis is away: the connection goes too.
            }
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The message in <paramref name="message"/>, or null when it is not one.</summary>
    protected abstract T? Parse(RedisValue message);

    /// <summary>The class a message names.</summary>
    protected abstract string CodeOf(T message);

    /// <summary>What a message is, for the log line of a handler that failed on it.</summary>
    protected abstract string Describe(T message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A class handler failed ({What} in class {Code}).")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string what, string code);

    private sealed class Subscription(ClassFanout<T> hub, string code, Func<T, Task> handler) : IDisposable
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
