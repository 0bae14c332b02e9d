using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.Sets;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>Fifty learners run the demo services of one app at once; each keeps to its own keys.</summary>
public class ManyLearnersTests(AppFixture app, RedisServerFixture redis) : IClassFixture<AppFixture>
{
    private const int Learners = 50;

    private IServiceProvider Services => app.Factory.Services;

    [Fact]
    public async Task Fifty_learners_at_once_never_see_each_others_data_and_a_reset_deletes_only_the_resetting_learners_keys()
    {
        var strings = Services.GetRequiredService<IStringsDemo>();
        var sets = Services.GetRequiredService<ISetsDemo>();
        var boards = Services.GetRequiredService<ISortedSetsDemo>();
        var lists = Services.GetRequiredService<IListsDemo>();
        var keyspace = Services.GetRequiredService<RedisKeyspace>();
        var learners = Enumerable.Range(0, Learners).Select(_ => LearnerId.New()).ToArray();

        // Everyone writes the same names at the same time, each with their own values.
        await Task.WhenAll(learners.Select((l, i) => Task.Run(async () =>
        {
            await strings.SetAsync(l, "secret", $"value-of-{l.Value}");
            for (var n = 0; n <= i % 3; n++)
            {
                await strings.IncrementViewsAsync(l);
            }

            await sets.AddTagsAsync(l, Post.First, [$"tag-{i}", "common"]);
            await boards.SetScoreAsync(l, "me", i);
            await lists.EnqueueAsync(l, [$"job-{i}"]);
        })));

        await Task.WhenAll(learners.Select((l, i) => Task.Run(() => AssertSeesOnlyOwnAsync(l, i))));
        var before = await Task.WhenAll(learners.Select(l => KeysOfAsync(keyspace.ForLearner(l).Prefix)));
        Assert.All(before, keys => Assert.True(keys.Count >= 4, $"expected the learner's keys, found {keys.Count}"));
        var allKeys = before.SelectMany(k => k).ToList();
        Assert.Equal(allKeys.Count, allKeys.Distinct().Count());

        // Even learners reset every demo while odd learners keep reading and writing.
        await Task.WhenAll(learners.Select((l, i) => Task.Run(async () =>
        {
            if (i % 2 == 0)
            {
                await strings.ResetAsync(l);
                await sets.ResetAsync(l);
                await boards.ResetAsync(l);
                await lists.ResetAsync(l);
            }
            else
            {
                await AssertSeesOnlyOwnAsync(l, i);
                await strings.SetAsync(l, "secret", $"value-of-{l.Value}");
            }
        })));

        var after = await Task.WhenAll(learners.Select(l => KeysOfAsync(keyspace.ForLearner(l).Prefix)));
        for (var i = 0; i < Learners; i++)
        {
            if (i % 2 == 0)
            {
                Assert.Empty(after[i]);
                Assert.Null((await strings.GetAsync(learners[i], "secret")).Value.Value);
            }
            else
            {
                Assert.Equal(before[i].Order(StringComparer.Ordinal), after[i].Order(StringComparer.Ordinal));
                await AssertSeesOnlyOwnAsync(learners[i], i);
            }
        }

        async Task AssertSeesOnlyOwnAsync(LearnerId l, int i)
        {
            Assert.Equal($"value-of-{l.Value}", (await strings.GetAsync(l, "secret")).Value.Value);
            Assert.Equal(["common", $"tag-{i}"], (await sets.ReadAsync(l)).Value.First.Order(StringComparer.Ordinal));
            Assert.Empty((await sets.ReadAsync(l)).Value.Second);
            var top = (await boards.ReadTopAsync(l)).Value;
            var entry = Assert.Single(top.Top);
            Assert.Equal(("me", (double)i), (entry.Player, entry.Score));
            Assert.Equal([$"job-{i}"], (await lists.ReadQueueAsync(l)).Value.Items);
        }
    }

    private Task<List<string>> KeysOfAsync(string prefix) => RedisKeys.UnderAsync(redis.Multiplexer, prefix);
}
