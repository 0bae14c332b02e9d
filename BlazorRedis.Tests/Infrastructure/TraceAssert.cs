using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>Assertions on what a trace shows.</summary>
public static class TraceAssert
{
    /// <summary>
    /// Every traced row that sent exactly one command names that command first (a row saying DEL sent DEL, not UNLINK).
    /// Script rows are left out: they say EVALSHA, and their C# note says the first call goes out as EVAL.
    /// </summary>
    public static void NamesWhatWasSent(OperationTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var single = trace.Commands.Where(c => c.Wire.Count == 1 && !c.Text.StartsWith("EVAL", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(single);
        Assert.All(single, c => Assert.Equal(c.Wire[0].Name, c.Text.Split(' ')[0]));
    }
}
