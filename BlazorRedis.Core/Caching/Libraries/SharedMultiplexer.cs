using System.Reflection;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// The app's multiplexer as handed to a caching library: every call goes through, except Close and Dispose, which do
/// nothing. <c>RedisCache</c> and FusionCache's backplane close the connection they were given when they are
/// disposed; the lab disposes its caches when a learner leaves, and the app's one connection must outlive them.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy needs a public, non-sealed type with a public constructor.
public class SharedMultiplexer : DispatchProxy
#pragma warning restore CA1852
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "Close", "CloseAsync", "Dispose", "DisposeAsync" };

    private IConnectionMultiplexer? _inner;

    /// <summary>Wraps <paramref name="inner"/> so that closing the wrapper leaves it open.</summary>
    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var proxy = Create<IConnectionMultiplexer, SharedMultiplexer>();
        ((SharedMultiplexer)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (Ignored.Contains(targetMethod.Name))
        {
            return targetMethod.ReturnType == typeof(Task) ? Task.CompletedTask
                : targetMethod.ReturnType == typeof(ValueTask) ? ValueTask.CompletedTask
                : null;
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
