using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Keeps each learner's course progress in one Redis hash, <c>{prefix}learner:{id}:course:progress</c>, which lives
/// <see cref="LessonOptions.ProgressDays"/> after the last step: progress survives app restarts and other instances.
/// </summary>
public sealed class LessonProgressStore(IConnectionMultiplexer redis, RedisKeyspace keyspace, RedisTracer tracer, IOptions<LessonOptions> options)
{
    /// <summary>The area of a learner's keyspace that holds the progress hash (not a demo area: the teacher's reset keeps it).</summary>
    public const string Area = "course";

    internal const string LastField = "last";

    private TimeSpan KeepFor => TimeSpan.FromDays(options.Value.ProgressDays);

    /// <summary>The learner's progress hash.</summary>
    public RedisKey KeyFor(LearnerId learner) => KeyOf(keyspace.ForLearner(learner));

    /// <summary>The progress hash in a learner's keyspace.</summary>
    public static RedisKey KeyOf(LearnerKeyspace keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Key(Area, "progress");
    }

    internal static string CheckField(string lessonId, int index) => string.Create(CultureInfo.InvariantCulture, $"{lessonId}:check:{index}");

    internal static string LabField(string name) => "lab:" + name;

    internal static string ReadField(string lessonId) => lessonId + ":read";

    internal static string QuizField(string lessonId, int index) => string.Create(CultureInfo.InvariantCulture, $"{lessonId}:quiz:{index}");

    /// <summary>Reads the learner's progress (HGETALL).</summary>
    public async Task<Traced<LessonProgress>> GetAsync(LearnerId learner)
    {
        var recorder = tracer.Start("Read course progress");
        var db = redis.GetDatabase();
        var key = KeyFor(learner);
        var entries = await recorder.RunAsync(RedisCommandText.Format("HGETALL", key), () => db.HashGetAllAsync(key), r => Wording.Count(r.Length, "field")).ConfigureAwait(false);
        var fields = entries.ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        return new Traced<LessonProgress>(new LessonProgress(fields), recorder.Finish());
    }

    /// <summary>Remembers the lesson the learner is on.</summary>
    public Task<OperationTrace> SetLastAsync(LearnerId learner, string lessonId) => WriteAsync(learner, LastField, lessonId, "Remember the lesson");

    /// <summary>
    /// Records that the learner opened a lesson with nothing to check or answer: reading it is what completes it
    /// (<see cref="LessonProgress.Completed"/>).
    /// </summary>
    public Task<OperationTrace> RecordReadAsync(LearnerId learner, string lessonId) =>
        WriteAsync(learner, ReadField(lessonId), DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), "Record a lesson read");

    /// <summary>
    /// Records a check block that passed (a failed one records nothing: progress never goes back). The value is the
    /// block's <see cref="CheckFingerprint"/>, so the pass counts only while the block at that place checks the same
    /// things: a teacher's edit, or a block inserted before it, asks the learner to check their work again.
    /// </summary>
    public Task<OperationTrace> RecordCheckPassedAsync(LearnerId learner, string lessonId, CheckSegment block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return WriteAsync(learner, CheckField(lessonId, block.Index), CheckFingerprint(block), "Record a passed check");
    }

    /// <summary>
    /// What a check block checks, hashed: each line's command, arguments and expectation (not its hint, nor spacing,
    /// which change nothing a learner must do). 16 hex digits of SHA-256.
    /// </summary>
    internal static string CheckFingerprint(CheckSegment block)
    {
        var text = string.Join('\n', block.Checks.Select(c => string.Join('\u001f', [c.Command, .. c.Arguments, c.Expectation])));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>Records a quiz answer and whether it was right.</summary>
    public Task<OperationTrace> RecordQuizAsync(LearnerId learner, string lessonId, int index, QuizGrade grade)
    {
        ArgumentNullException.ThrowIfNull(grade);
        var value = string.Join(',', grade.Chosen.Select(i => i.ToString(CultureInfo.InvariantCulture))) + (grade.Correct ? "|right" : "|wrong");
        return WriteAsync(learner, QuizField(lessonId, index), value, "Record a quiz answer");
    }

    /// <summary>
    /// Records what a lab run measured (<see cref="LabResults"/>), one field per number, so a lesson's LAB check can grade
    /// it: one HSET of every field, then EXPIRE. Best effort: the run already happened and its result is real whether or
    /// not it is kept, so a Redis failure (down, timed out, refused) is not thrown; it is the trace's failed command, and
    /// the value is false (nothing was saved).
    /// </summary>
    /// <returns>True when the HSET was applied; the trace of what was sent either way.</returns>
    public async Task<Traced<bool>> RecordLabAsync(LearnerId learner, IReadOnlyList<(string Name, long Value)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.FirstOrDefault(r => !LabResults.IsKnown(r.Name)) is { Name: { } unknown })
        {
            throw new ArgumentException($"'{unknown}' is not a lab result.", nameof(results));
        }

        var recorder = tracer.Start("Record the lab's result");
        var db = redis.GetDatabase();
        var key = KeyFor(learner);
        var fields = results.Select(r => new HashEntry(LabField(r.Name), r.Value)).ToArray();
        var args = new List<object> { key };
        args.AddRange(fields.SelectMany(f => new object[] { (string)f.Name!, (long)f.Value }));
        try
        {
            await recorder.RunAsync(
                RedisCommandText.Format("HSET", args),
                "await db.HashSetAsync(key, [" + string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"new({RedisCommandText.CSharpString(LabField(r.Name))}, {r.Value})"))) + "]);",
                async () =>
                {
                    await db.HashSetAsync(key, fields).ConfigureAwait(false);
                    return fields.Length;
                },
                n => Wording.Count(n, "field")).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The recorder kept the failed HSET with Redis's reason; no EXPIRE follows a write that did not happen.
            return new Traced<bool>(false, recorder.Finish());
        }

        try
        {
            await ExpireAsync(recorder, db, key).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The result is saved (the failed EXPIRE is in the trace); the learner's next step's EXPIRE sets the hash's life again.
        }

        return new Traced<bool>(true, recorder.Finish());
    }

    private async Task<OperationTrace> WriteAsync(LearnerId learner, string field, string value, string operation)
    {
        var recorder = tracer.Start(operation);
        var db = redis.GetDatabase();
        var key = KeyFor(learner);
        await recorder.RunAsync(
            RedisCommandText.Format("HSET", key, field, value),
            $"await db.HashSetAsync(key, {RedisCommandText.CSharpString(field)}, {RedisCommandText.CSharpString(value)});",
            () => db.HashSetAsync(key, field, value),
            created => RedisCommandText.Flag(created)).ConfigureAwait(false);
        await ExpireAsync(recorder, db, key).ConfigureAwait(false);
        return recorder.Finish();
    }

    // Every write slides the hash's life to ProgressDays after the last step.
    private Task<bool> ExpireAsync(TraceRecorder recorder, IDatabase db, RedisKey key)
    {
        var ttl = KeepFor;
        return recorder.RunAsync(
            RedisCommandText.Format("EXPIRE", key, (long)ttl.TotalSeconds),
            string.Create(CultureInfo.InvariantCulture, $"await db.KeyExpireAsync(key, TimeSpan.FromDays({options.Value.ProgressDays}));"),
            () => db.KeyExpireAsync(key, ttl),
            RedisCommandText.Flag);
    }
}
