using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Lists;

/// <summary>The lists demo on real Redis, under the learner's own keys (area <c>lists</c>).</summary>
public sealed class ListsDemoService(IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, KeyspaceJanitor janitor, TimeProvider time) : IListsDemo
{
    /// <summary>The demo's key area (its slug).</summary>
    public const string Area = "lists";

    /// <summary>The first pause of a waiting worker that found the queue empty.</summary>
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest pause between two polls.</summary>
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMilliseconds(800);

    /// <inheritdoc/>
    public async Task<Traced<ListState>> EnqueueAsync(LearnerId learner, IReadOnlyList<string> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count is 0 or > IListsDemo.MaxJobsPerPush)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"Push between 1 and {IListsDemo.MaxJobsPerPush} jobs at a time."), nameof(jobs));
        }

        var values = jobs.Select(j => (RedisValue)DemoInput.Name(j, "job name")).ToArray();
        var key = QueueKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start(values.Length == 1 ? "Producer pushes a job" : string.Create(CultureInfo.InvariantCulture, $"Producer pushes {values.Length} jobs"));
        // The check and the push are one atomic step: two pushes at once cannot both take the queue's last room.
        await DemoSteps.WriteWithinCapAsync(rec, db, key, CappedKind.List, IListsDemo.MaxQueueLength,
            () => DemoSteps.EnsureRoomAsync(rec, RedisCommandText.Format("LLEN", key), "await db.ListLengthAsync(key);", () => db.ListLengthAsync(key),
                values.Length, IListsDemo.MaxQueueLength,
                length => string.Create(CultureInfo.InvariantCulture, $"The demo queue holds at most {IListsDemo.MaxQueueLength} jobs and has {length}; let a worker take some first."), nameof(jobs)),
            tx => tx.ListLeftPushAsync(key, values),
            RedisCommandText.Format("LPUSH", values.Cast<object?>().Prepend(key)),
            values.Length == 1 ? $"tx.ListLeftPushAsync(key, {RedisCommandText.CSharpString(values[0])})" : $"tx.ListLeftPushAsync(key, {RedisCommandText.CSharpArray("RedisValue", values.Select(v => (string?)v))}) /* one LPUSH, many items */",
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<WorkResult>> WorkOnceAsync(LearnerId learner, string worker)
    {
        var name = DemoInput.Name(worker, "worker name");
        var key = QueueKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"{name} takes the oldest job");
        var job = await PopAsync(rec, db, key).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(new WorkResult(name, job, 1, state), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<WorkResult>> WaitForJobAsync(LearnerId learner, string worker, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var name = DemoInput.Name(worker, "worker name");
        if (timeout <= TimeSpan.Zero || timeout > IListsDemo.MaxWait)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"A worker waits between 1 and {IListsDemo.MaxWait.TotalSeconds:0} seconds."), nameof(timeout));
        }

        var key = QueueKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"{name} waits for a job (polling with back-off)");
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        var pause = FirstBackOff;
        var polls = 0;
        string? job;
        while (true)
        {
            polls++;
            job = await PopAsync(rec, db, key).ConfigureAwait(false);
            if (job is not null || time.GetTimestamp() >= deadline)
            {
                break;
            }

            // Empty: wait, then ask again, waiting longer each time so an idle worker costs little.
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxBackOff.Ticks));
        }

        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(new WorkResult(name, job, polls, state), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<ListState>> ReadQueueAsync(LearnerId learner)
    {
        var rec = tracer.Start("Read the queue");
        var state = await ReadAsync(rec, mux.GetDatabase(), QueueKey(learner)).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<ListState>> RecordActivityAsync(LearnerId learner, string entry, int keep)
    {
        var text = DemoInput.Name(entry, "activity text", 120);
        DemoInput.Range(keep, 1, IListsDemo.MaxShown, "number of entries to keep");
        var key = ActivityKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start("Record recent activity");
        await rec.RunAsync(
            RedisCommandText.Format("LPUSH", key, text),
            $"await db.ListLeftPushAsync(key, {RedisCommandText.CSharpString(text)});",
            () => db.ListLeftPushAsync(key, text),
            RedisCommandText.IntegerReply).ConfigureAwait(false);

        // LTRIM keeps indexes 0..keep-1 (the newest) and drops the rest: the list never grows past the cap.
        await rec.RunAsync(
            RedisCommandText.Format("LTRIM", key, 0, keep - 1),
            string.Create(CultureInfo.InvariantCulture, $"await db.ListTrimAsync(key, 0, {keep - 1});"),
            () => db.ListTrimAsync(key, 0, keep - 1)).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<ListState>> ReadActivityAsync(LearnerId learner)
    {
        var rec = tracer.Start("Read recent activity");
        var state = await ReadAsync(rec, mux.GetDatabase(), ActivityKey(learner)).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    private RedisKey QueueKey(LearnerId learner) => keyspace.ForLearner(learner).Key(Area, "queue", "tasks");

    private RedisKey ActivityKey(LearnerId learner) => keyspace.ForLearner(learner).Key(Area, "activity", "recent");

    private static async Task<string?> PopAsync(TraceRecorder rec, IDatabase db, RedisKey key)
    {
        var value = await rec.RunAsync(
            RedisCommandText.Format("RPOP", key),
            "await db.ListRightPopAsync(key);",
            () => db.ListRightPopAsync(key),
            RedisCommandText.Reply).ConfigureAwait(false);
        return value.IsNull ? null : value.ToString();
    }

    private static async Task<ListState> ReadAsync(TraceRecorder rec, IDatabase db, RedisKey key)
    {
        var items = await rec.RunAsync(
            RedisCommandText.Format("LRANGE", key, 0, IListsDemo.MaxShown - 1),
            string.Create(CultureInfo.InvariantCulture, $"await db.ListRangeAsync(key, 0, {IListsDemo.MaxShown - 1});"),
            () => db.ListRangeAsync(key, 0, IListsDemo.MaxShown - 1),
            r => RedisCommandText.List(r.Select(v => v.ToString()))).ConfigureAwait(false);
        var length = await rec.RunAsync(
            RedisCommandText.Format("LLEN", key),
            "await db.ListLengthAsync(key);",
            () => db.ListLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        return new ListState(items.Select(v => v.ToString()).ToList(), length);
    }
}
