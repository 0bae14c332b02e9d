using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.App.Components.Caching;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Cluster;

/// <summary>
/// The cache's key list on a Redis Cluster with one primary stopped: it shows what the primaries that answer hold and
/// names the one that does not (the list is incomplete), while deleting by pattern still refuses to run. Each test
/// starts a private cluster of its own, so stopping a node disturbs no other test.
/// </summary>
public sealed class CacheKeysWithAPrimaryAwayTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_list_shows_the_keys_of_the_primaries_that_answer_and_names_the_one_that_does_not()
    {
        await using var cluster = await StartClusterAsync();
        await using var h = CachingHarness.Create(cluster, latencyMs: 0);
        await WarmAsync(h);
        var away = await StopAPrimaryWithoutTheCacheAsync(cluster, h);

        var listed = (await h.Inspector.ListCachedKeysAsync(cancellationToken: Ct)).Value;

        Assert.Contains(listed.Keys, k => k.Key == (string)h.CacheKeys.Product(1)!);
        Assert.Equal(6, listed.Keys.Count(k => k.Key.StartsWith(h.CacheKeys.Root + "product:", StringComparison.Ordinal)));
        Assert.False(listed.Complete);
        Assert.Equal([away], listed.Unreachable);
        Assert.StartsWith($"Node unreachable: The Redis Cluster's primary {away} is unreachable right now", listed.UnreachableMessage, StringComparison.Ordinal);
        Assert.Contains("this list is incomplete", listed.UnreachableMessage, StringComparison.Ordinal);

        // Deleting still needs every primary: it refuses, names the node, and deletes nothing.
        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => h.Invalidation.InvalidatePatternAsync("*", Ct));
        Assert.Contains(away + " is unreachable", refused.Message, StringComparison.Ordinal);
        Assert.Throws<RedisConnectionException>(() => KeyScanner.Primaries(cluster.Multiplexer));
        Assert.True(await h.Db.KeyExistsAsync(h.CacheKeys.Product(1)));
    }

    [Fact]
    public async Task The_page_lists_the_keys_it_could_reach_and_says_which_node_is_away_and_that_the_list_is_incomplete()
    {
        await using var cluster = await StartClusterAsync();
        await using var ctx = new CachingPageContext(cluster, latencyMs: 0);
        await WarmAsync(ctx.Harness);
        var away = await StopAPrimaryWithoutTheCacheAsync(cluster, ctx.Harness);
        var cut = ctx.RenderWithProviders<BlazorRedis.App.Components.Pages.Caching.Invalidation>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=refresh]").Click());

        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 6), TimeSpan.FromSeconds(15));
        var message = cut.Find("[data-testid=keys-unreachable]").TextContent;
        Assert.Contains($"Node unreachable: The Redis Cluster's primary {away} is unreachable right now", message, StringComparison.Ordinal);
        Assert.Contains("this list is incomplete", message, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=keys-cut]")); // not cut at a cap: a node is away
        Assert.Empty(cut.FindAll("[data-testid=keys-refused]"));
    }

    private static async Task<RedisClusterFixture> StartClusterAsync()
    {
        var cluster = new RedisClusterFixture();
        await cluster.InitializeAsync();
        Assert.SkipWhen(cluster.NodeEndPoints.Count == 0, "an external cluster: its nodes are not this test's to stop");
        return cluster;
    }

    private static async Task WarmAsync(CachingHarness h)
    {
        for (var id = 1; id <= 6; id++)
        {
            await h.Reader.GetAsync(id, cancellationToken: Ct);
        }
    }

    /// <summary>Stops a primary that does not own the cache's hash slot, and waits until the client has lost it.</summary>
    private static async Task<string> StopAPrimaryWithoutTheCacheAsync(RedisClusterFixture cluster, CachingHarness h)
    {
        var mux = cluster.Multiplexer;
        var owner = EndPointCollection.ToString(mux.GetServer(h.CacheKeys.Product(1)).EndPoint);
        var away = cluster.NodeEndPoints.First(e => e != owner);
        cluster.StopNode(away);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (mux.GetServers().Any(s => s.IsConnected && EndPointCollection.ToString(s.EndPoint) == away) && DateTime.UtcNow < until)
        {
            await Task.Delay(20, Ct);
        }

        Assert.Single(KeyScanner.FindPrimaries(mux).Unreachable);
        return away;
    }
}
