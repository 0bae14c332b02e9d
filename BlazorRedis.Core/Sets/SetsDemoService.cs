using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Sets;

/// <summary>
/// The sets demo on real Redis, under the learner's own keys (area <c>sets</c>). Both posts' keys carry the
/// learner's hash tag, so SINTER/SDIFF/SUNION over them would also work on Redis Cluster.
/// </summary>
public sealed class SetsDemoService(IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, KeyspaceJanitor janitor) : ISetsDemo
{
    /// <summary>The demo's key area (its slug).</summary>
    public const string Area = "sets";

    /// <inheritdoc/>
    public async Task<Traced<TagsState>> AddTagsAsync(LearnerId learner, Post post, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var key = PostKey(learner, post);
        if (tags.Count is 0 or > ISetsDemo.MaxTagsPerAdd)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"Add between 1 and {ISetsDemo.MaxTagsPerAdd} tags at a time."), nameof(tags));
        }

        var values = tags.Select(t => (RedisValue)DemoInput.Name(t, "tag", 40)).ToArray();
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Tag post {(int)post}");
        // The check and the SADD are one atomic step: two writes at once cannot both take the post's last room.
        await DemoSteps.WriteWithinCapAsync(rec, db, key, CappedKind.Set, ISetsDemo.MaxTagsPerPost,
            () => DemoSteps.EnsureRoomAsync(rec, RedisCommandText.Format("SCARD", key), "await db.SetLengthAsync(key);", () => db.SetLengthAsync(key),
                values.Length, ISetsDemo.MaxTagsPerPost,
                _ => string.Create(CultureInfo.InvariantCulture, $"A demo post carries at most {ISetsDemo.MaxTagsPerPost} tags; remove some first."), nameof(tags),
                () => CountNewTagsAsync(rec, db, key, values)),
            tx => tx.SetAddAsync(key, values),
            RedisCommandText.Format("SADD", values.Cast<object?>().Prepend(key)),
            values.Length == 1 ? $"tx.SetAddAsync(key, {RedisCommandText.CSharpString(values[0])})" : $"tx.SetAddAsync(key, {RedisCommandText.CSharpArray("RedisValue", values.Select(v => (string?)v), values.Length)})",
            n => RedisCommandText.IntegerReply(n) + (n < values.Length ? " (duplicates ignored)" : "")).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadBothAsync(rec, db, learner).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<TagsState>> RemoveTagAsync(LearnerId learner, Post post, string tag)
    {
        var key = PostKey(learner, post);
        var name = DemoInput.Name(tag, "tag", 40);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Untag post {(int)post}");
        await rec.RunAsync(
            RedisCommandText.Format("SREM", key, name),
            $"await db.SetRemoveAsync(key, {RedisCommandText.CSharpString(name)});",
            () => db.SetRemoveAsync(key, name),
            RedisCommandText.Flag).ConfigureAwait(false);
        var state = await ReadBothAsync(rec, db, learner).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> HasTagAsync(LearnerId learner, Post post, string tag)
    {
        var key = PostKey(learner, post);
        var name = DemoInput.Name(tag, "tag", 40);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Is post {(int)post} tagged \"{name}\"?");
        var yes = await rec.RunAsync(
            RedisCommandText.Format("SISMEMBER", key, name),
            $"await db.SetContainsAsync(key, {RedisCommandText.CSharpString(name)});",
            () => db.SetContainsAsync(key, name),
            RedisCommandText.Flag).ConfigureAwait(false);
        return new(yes, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<TagsState>> ReadAsync(LearnerId learner)
    {
        var rec = tracer.Start("SMEMBERS of both posts");
        var state = await ReadBothAsync(rec, mux.GetDatabase(), learner).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<TagComparisonResult>> CompareAsync(LearnerId learner, TagComparison comparison)
    {
        var (operation, command) = comparison switch
        {
            TagComparison.Intersection => (SetOperation.Intersect, "SINTER"),
            TagComparison.Difference => (SetOperation.Difference, "SDIFF"),
            TagComparison.Union => (SetOperation.Union, "SUNION"),
            _ => throw new LearnerInputException("Choose intersection, difference or union.", nameof(comparison)),
        };
        var first = PostKey(learner, Post.First);
        var second = PostKey(learner, Post.Second);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"{command} of the two posts");
        var reply = await rec.RunAsync(
            RedisCommandText.Format(command, first, second),
            $"await db.SetCombineAsync(SetOperation.{operation}, {RedisCommandText.CSharpString(first)}, {RedisCommandText.CSharpString(second)});",
            () => db.SetCombineAsync(operation, first, second),
            r => RedisCommandText.List(r.Select(v => v.ToString()), 20)).ConfigureAwait(false);
        var state = await ReadBothAsync(rec, db, learner).ConfigureAwait(false);
        var tags = reply.Select(v => v.ToString()).Order(StringComparer.Ordinal).ToList();
        return new(new TagComparisonResult(comparison, command, tags, state), rec.Finish());
    }

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    private RedisKey PostKey(LearnerId learner, Post post)
    {
        if (!Enum.IsDefined(post))
        {
            throw new LearnerInputException("Choose post 1 or post 2.", nameof(post));
        }

        return keyspace.ForLearner(learner).Key(Area, "post", ((int)post).ToString(CultureInfo.InvariantCulture), "tags");
    }

    private async Task<TagsState> ReadBothAsync(TraceRecorder rec, IDatabase db, LearnerId learner)
    {
        var first = await MembersAsync(rec, db, PostKey(learner, Post.First)).ConfigureAwait(false);
        var second = await MembersAsync(rec, db, PostKey(learner, Post.Second)).ConfigureAwait(false);
        return new TagsState(first, second);
    }

    private static async Task<IReadOnlyList<string>> MembersAsync(TraceRecorder rec, IDatabase db, RedisKey key)
    {
        var members = await rec.RunAsync(
            RedisCommandText.Format("SMEMBERS", key),
            "await db.SetMembersAsync(key);",
            () => db.SetMembersAsync(key),
            r => RedisCommandText.List(r.Select(v => v.ToString()), 20)).ConfigureAwait(false);
        return members.Select(v => v.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// How many distinct tags the post does not carry yet (SMISMEMBER answers 0 for those): on a full post, adding a tag
    /// it already has does not grow the set, so only new tags need room.
    /// </summary>
    private static async Task<RoomCheck> CountNewTagsAsync(TraceRecorder rec, IDatabase db, RedisKey key, RedisValue[] values)
    {
        var distinct = values.Distinct().ToArray();
        var member = await rec.RunAsync(
            RedisCommandText.Format("SMISMEMBER", distinct.Cast<object?>().Prepend(key)),
            $"await db.SetContainsAsync(key, {RedisCommandText.CSharpArray("RedisValue", distinct.Select(v => (string?)v))}); // false: a new tag, so SADD adds it",
            () => db.SetContainsAsync(key, distinct),
            m => RedisCommandText.List(m.Select(x => x ? "1" : "0"))).ConfigureAwait(false);
        return new RoomCheck(member.Count(m => !m), [.. distinct.Where((_, i) => member[i])]);
    }
}
