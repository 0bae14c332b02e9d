using System.Reflection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure.Chaos;

/// <summary>
/// Wraps an <see cref="IConnectionMultiplexer"/> so every <see cref="IDatabase"/> it hands out delays and fails
/// as <see cref="ChaosOptions"/> says. Everything else (subscribers, servers, profiling) passes straight through.
/// Used by fault tests; never registered by the app itself.
/// </summary>
public static class ChaosRedis
{
    /// <summary>A multiplexer whose databases misbehave as <paramref name="options"/> says.</summary>
    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner, ChaosOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        var proxy = DispatchProxy.Create<IConnectionMultiplexer, MultiplexerProxy>();
        ((MultiplexerProxy)(object)proxy).Init(inner, options);
        return proxy;
    }

    /// <summary>A database that misbehaves as <paramref name="options"/> says.</summary>
    public static IDatabase Wrap(IDatabase inner, ChaosOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        var proxy = DispatchProxy.Create<IDatabase, DatabaseProxy>();
        ((DatabaseProxy)(object)proxy).Init(inner, options);
        return proxy;
    }

#pragma warning disable CA1852 // DispatchProxy needs non-sealed, public-constructible proxy types.
    internal class MultiplexerProxy : DispatchProxy
#pragma warning restore CA1852
    {
        private IConnectionMultiplexer _inner = null!;
        private ChaosOptions _options = null!;

        internal void Init(IConnectionMultiplexer inner, ChaosOptions options)
        {
            _inner = inner;
            _options = options;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var result = Unwrap(() => targetMethod.Invoke(_inner, args));
            return result is IDatabase db ? Wrap(db, _options) : result;
        }
    }

#pragma warning disable CA1852
    internal class DatabaseProxy : DispatchProxy
#pragma warning restore CA1852
    {
        private static readonly MethodInfo DelayThenGeneric = typeof(DatabaseProxy).GetMethod(nameof(DelayThen), BindingFlags.NonPublic | BindingFlags.Static)!;
        private IDatabase _inner = null!;
        private ChaosOptions _options = null!;

        internal void Init(IDatabase inner, ChaosOptions options)
        {
            _inner = inner;
            _options = options;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var returns = targetMethod.ReturnType;
            if (returns == typeof(Task))
            {
                return DelayThen<bool>(_options, () => (Task)Unwrap(() => targetMethod.Invoke(_inner, args))!);
            }

            if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var valueType = returns.GetGenericArguments()[0];
                Func<Task> call = () => (Task)Unwrap(() => targetMethod.Invoke(_inner, args))!;
                return DelayThenGeneric.MakeGenericMethod(valueType).Invoke(null, [_options, call]);
            }

            // Synchronous calls: fail, or sleep, then pass through.
            Fault(_options);
            if (_options.Delay > TimeSpan.Zero && targetMethod.Name is not ("get_Database" or "get_Multiplexer"))
            {
                Thread.Sleep(_options.Delay);
            }

            return Unwrap(() => targetMethod.Invoke(_inner, args));
        }

        private static async Task<T> DelayThen<T>(ChaosOptions options, Func<Task> call)
        {
            if (options.Delay > TimeSpan.Zero)
            {
                await Task.Delay(options.Delay).ConfigureAwait(false);
            }

            Fault(options);
            var task = call();
            await task.ConfigureAwait(false);
            return task is Task<T> typed ? typed.Result : default!;
        }

        private static void Fault(ChaosOptions options)
        {
            if (options.ServerError is { } reply)
            {
#pragma warning disable CS0618 // as above: the reply text is what callers see
                throw new RedisServerException(reply);
#pragma warning restore CS0618
            }

            if (options.ErrorProbability > 0 && Random.Shared.NextDouble() < options.ErrorProbability)
            {
#pragma warning disable CS0618 // The CommandFlags overload is internal to the library; the failure type is what callers see.
                throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "Chaos: injected connection failure", null, CommandStatus.WaitingToBeSent);
#pragma warning restore CS0618
            }
        }
    }

    private static object? Unwrap(Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
