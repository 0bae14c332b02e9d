namespace BlazorRedis.Core.Caching.Labs;

/// <summary>A page's hold on a <see cref="CachingLab"/>: while any lease is open the lab stays.</summary>
public sealed class CachingLabLease : IDisposable
{
    private int _released;

    internal CachingLabLease(CachingLab lab) => Lab = lab;

    public CachingLab Lab { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Lab.Release();
        }
    }
}
