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

    internal static string TriesField(string lessonId, int index) => QuizField(lessonId, index) + ":tries";

    internal static string RightOnField(string lessonId, int index) => QuizField(lessonId, index) + ":right-on";

    internal static string ShownField(string lessonId, int index) => QuizField(lessonId, index) + ":shown";

    // KEYS[1] the progress hash; ARGV: the answer's field, the answer ("1|wrong"), the quiz's right options now ("0,2"),
    // the hash's life in seconds. Every answer is a try (HINCRBY …:tries). The answer is kept unless the kept one is the
    // right answer as the quiz is now: a passed quiz stays passed, whatever a later answer or a stale tab sends. The
    // first right answer keeps its try's number (…:right-on). One script, so two tabs answering at once cannot interleave
    // a read and a write. Replies the try's number.
    internal const string RecordQuizScript = """
        local right = ARGV[3] .. '|'
        local kept = redis.call('HGET', KEYS[1], ARGV[1])
        local tries = redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':tries', 1)
        if not (kept and string.sub(kept, 1, #right) == right) then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
          if string.sub(ARGV[2], 1, #right) == right then
            redis.call('HSET', KEYS[1], ARGV[1] .. ':right-on', tries)
          end
        end
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return tries
        """;

    private static string Options(IEnumerable<int> indexes) => string.Join(',', indexes.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Records a quiz answer as one more try, atomically (<see cref="RecordQuizScript"/>): it becomes the kept answer
    /// unless the quiz was already answered right as it is now, which no later answer undoes; the try on which it was
    /// first answered right is kept too, for the teacher (<see cref="LessonProgress.QuizTries"/>).
    /// </summary>
    public async Task<OperationTrace> RecordQuizAsync(LearnerId learner, string lessonId, int index, QuizGrade grade)
    {
        ArgumentNullException.ThrowIfNull(grade);
        var recorder = tracer.Start("Record a quiz answer");
        var db = redis.GetDatabase();
        var key = KeyFor(learner);
        var field = QuizField(lessonId, index);
        var value = Options(grade.Chosen) + (grade.Correct ? "|right" : "|wrong");
        var right = Options(grade.Right);
        var ttl = (long)KeepFor.TotalSeconds;
        await recorder.RunAsync(
            RedisCommandText.Format("EVAL", RecordQuizScript, 1, key, field, value, right, ttl),
            $"var tries = await db.ScriptEvaluateAsync({RedisCommandText.CSharpLiteral(RecordQuizScript)}, [{RedisCommandText.CSharpString(key.ToString())}], [{RedisCommandText.CSharpString(field)}, {RedisCommandText.CSharpString(value)}, {RedisCommandText.CSharpString(right)}, {ttl}]); // HINCRBY the tries, HSET the answer unless already right, EXPIRE",
            () => db.ScriptEvaluateAsync(RecordQuizScript, [key], [field, value, right, ttl]),
            tries => RedisCommandText.IntegerReply((long)tries)).ConfigureAwait(false);
        return recorder.Finish();
    }

    // KEYS[1] the progress hash; ARGV: the quiz's field, the hash's life in seconds. Keeps how many tries the learner had
    // made when they first asked to see the answer (…:shown; HSETNX, so a second showing changes nothing); the answer
    // kept and the tries are left alone: seeing the answer is not answering it. Replies the tries.
    internal const string RecordShownScript = """
        local tries = redis.call('HGET', KEYS[1], ARGV[1] .. ':tries') or '0'
        redis.call('HSETNX', KEYS[1], ARGV[1] .. ':shown', tries)
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        return tonumber(tries)
        """;

    /// <summary>
    /// Records that the learner asked to see a quiz's answer ("Show me the answer"), after how many tries
    /// (<see cref="RecordShownScript"/>), for the teacher (<see cref="LessonProgress.QuizShownAfter"/>). It does not
    /// answer the quiz: the step is done only by a right answer, which the teacher then sees was given after the showing.
    /// </summary>
    public async Task<OperationTrace> RecordAnswerShownAsync(LearnerId learner, string lessonId, int index)
    {
        var recorder = tracer.Start("Record an answer shown");
        var db = redis.GetDatabase();
        var key = KeyFor(learner);
        var field = QuizField(lessonId, index);
        var ttl = (long)KeepFor.TotalSeconds;
        await recorder.RunAsync(
            RedisCommandText.Format("EVAL", RecordShownScript, 1, key, field, ttl),
            $"var tries = await db.ScriptEvaluateAsync({RedisCommandText.CSharpLiteral(RecordShownScript)}, [{RedisCommandText.CSharpString(key.ToString())}], [{RedisCommandText.CSharpString(field)}, {ttl}]); // HSETNX …:shown the tries so far, EXPIRE",
            () => db.ScriptEvaluateAsync(RecordShownScript, [key], [field, ttl]),
            tries => RedisCommandText.IntegerReply((long)tries)).ConfigureAwait(false);
        return recorder.Finish();
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
