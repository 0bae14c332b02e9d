using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(BlazorRedis.Tests.Infrastructure.LongestFirstCollectionOrderer))]

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// Starts the collections that take minutes first: the accessibility scans, then the other browser tests, then the rest.
/// The run has two test classes going at once per core (xunit.runner.json); when a scan of every page started last, the
/// run ended with it alone for minutes (test.sh lists the slowest tests, to see which they are).
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    /// <inheritdoc/>
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections.OrderBy(c => Rank(c.TestCollectionDisplayName)).ThenBy(c => c.UniqueID, StringComparer.Ordinal)];

    private static int Rank(string name) =>
        name.Contains("AccessibilityBrowserTests", StringComparison.Ordinal) ? 0
        : name.Contains("LayoutBrowserTests", StringComparison.Ordinal) ? 1
        : name.Contains(".Browser.", StringComparison.Ordinal) ? 2
        : 3;
}
