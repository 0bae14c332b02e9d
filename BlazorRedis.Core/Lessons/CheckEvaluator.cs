using System.Globalization;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using StackExchange.Redis;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Grades checks against the learner's own workbench keys (<c>{prefix}learner:{id}:wb:…</c>), the space the lesson's
/// <c>```redis</c> blocks run in. Only the read-only commands <see cref="CheckParser"/> knows are sent, each with the
/// learner's prefix on its key, so a check never writes and never reads outside the learner's space. <c>==</c> and
/// <c>!=</c> compare by value only when both sides are plain numbers (<see cref="IsPlainNumber"/>), else as exact text.
/// <para>
/// A line about a key that does not exist yet does not pass, whatever its comparison: <c>HEXISTS user:77 email == 0</c>
/// or <c>XLEN queue == 0</c> would otherwise tick green for a learner who has run nothing. It is
/// <see cref="CheckResult.NotStarted"/> and says the key does not exist yet. A line that expects its key to be gone
/// (<see cref="LessonCheck.ExpectsAbsence"/>, written after a DEL step) passes on a missing key only when every other
/// line of its block passes, so the block's proof of the work is what gives the absence its meaning; a block of
/// nothing but such lines never passes (the linter says so).
/// </para>
/// </summary>
public sealed class CheckEvaluator(IConnectionMultiplexer redis, RedisTracer tracer)
{
    /// <summary>Runs every check of <paramref name="checks"/> in order and grades it; the trace holds each command sent.</summary>
    /// <exception cref="RedisConnectionException">Redis is unreachable: nothing could be graded.</exception>
    public async Task<Traced<IReadOnlyList<CheckResult>>> EvaluateAsync(LearnerKeyspace keys, IReadOnlyList<LessonCheck> checks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(checks);
        var recorder = tracer.Start("Check my work");
        var prefix = WorkbenchKeyRewriter.PrefixOf(keys);
        var progressKey = LessonProgressStore.KeyOf(keys);
        var graded = new List<(CheckResult Result, bool Missing)>(checks.Count);
        foreach (var check in checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            graded.Add(await EvaluateOneAsync(recorder, keys, prefix, progressKey, check, cancellationToken).ConfigureAwait(false));
        }

        // "The key is gone" proves nothing on its own: a key never made is not one the learner removed.
        var proof = graded.Where(g => !g.Result.Check.ExpectsAbsence).ToList();
        var proven = proof.Count > 0 && proof.All(g => g.Result.Passed);
        IReadOnlyList<CheckResult> results = [.. graded.Select(g => g.Missing && g.Result.Passed && !proven ? NotYetGone(g.Result) : g.Result)];
        return new Traced<IReadOnlyList<CheckResult>>(results, recorder.Finish());
    }

    private static CheckResult NotYetGone(CheckResult absent)
    {
        var gone = absent.Check.Key is { } key ? $"{key} does not exist" : "You have no keys";
        return Fail(absent.Check, absent.Found, $"{gone}, as this line expects, but that counts only once the other lines of this check pass: a key that was never made is not one you removed.") with { NotStarted = true };
    }

    private async Task<(CheckResult Result, bool Missing)> EvaluateOneAsync(TraceRecorder recorder, LearnerKeyspace keys, string prefix, RedisKey progressKey, LessonCheck check, CancellationToken cancellationToken)
    {
        Reply reply;
        try
        {
            reply = check.Command switch
            {
                "DBSIZE" => Reply.Of(await CountKeysAsync(recorder, prefix, cancellationToken).ConfigureAwait(false)),
                "LAB" => await ReadLabAsync(recorder, progressKey, check).ConfigureAwait(false),
                _ => await RunAsync(recorder, prefix, check).ConfigureAwait(false),
            };
            if (check.Command is "TTL" or "PTTL" && reply.Number >= 0 && !await OwnsTtlAsync(recorder, keys, prefix, check).ConfigureAwait(false))
            {
                reply = Reply.Of(-1);
            }
        }
        catch (RedisServerException ex)
        {
            // Redis names the key as it is stored; the learner knows it without the workbench's prefix.
            var error = ex.Message.Split('\n')[0].Trim().Replace(prefix, "", StringComparison.Ordinal);
            var why = error.StartsWith("WRONGTYPE", StringComparison.Ordinal) ? $": {check.Key} holds another type of value"
                : error.StartsWith("NOGROUP", StringComparison.Ordinal) ? ": there is no such stream, or no such consumer group on it"
                : "";
            var failed = Fail(check, "(error) " + error, $"Redis answered (error) {error}{why}.");
            // A stream that does not exist yet has no group either: the learner has not started, not got it wrong.
            var notStarted = error.StartsWith("NOGROUP", StringComparison.Ordinal) && !await ExistsAsync(recorder, prefix, check).ConfigureAwait(false);
            return (failed with { NotStarted = notStarted }, false);
        }

        var missing = check.Command switch
        {
            "LAB" => reply.IsNil,
            "EXISTS" or "DBSIZE" => reply.Text == "0",
            "TYPE" => reply.Text == "none",
            "TTL" or "PTTL" => reply.Text == "-2",
            // Nil, 0 or an empty list is also what a missing key answers: only then is one more read needed to tell.
            _ => reply.LooksEmpty && !await ExistsAsync(recorder, prefix, check).ConfigureAwait(false),
        };
        var passed = Compare(check, reply);
        var found = reply.Display;
        var subject = check.Command switch
        {
            "DBSIZE" => "DBSIZE (your keys)",
            "LAB" => $"Your last {check.Key}",
            _ => $"{check.Command} {string.Join(' ', check.Arguments.Select(Quote))}",
        };
        var meaning = Meaning(check, reply);
        if (missing && !check.ExpectsAbsence)
        {
            // What the line reads is not there yet: to do, not wrong, and never a pass whatever the comparison says.
            var message = check.Command switch
            {
                "DBSIZE" => "You have no keys yet: run the lesson's commands, then check again.",
                "LAB" or "EXISTS" or "TYPE" or "TTL" or "PTTL" => $"{subject} is {found}{meaning}; expected {check.Expectation}.",
                _ => $"{check.Key} does not exist yet: run the lesson's commands that create it, then check again.",
            };
            return (Fail(check, found, message) with { NotStarted = true }, true);
        }

        var result = passed
            ? new CheckResult(check, true, found, $"{subject} is {found}{meaning}: {check.Expectation}, as expected.")
            : Fail(check, found, $"{subject} is {found}{meaning}; expected {check.Expectation}.");
        return (result, missing);
    }

    // Whether the TTL of the check's key is one the learner gave it: the workbench gives every key of theirs a
    // housekeeping TTL too, which the learner's Redis would not have, so a key without a TTL of their own reads -1 as in
    // the workbench (SISMEMBER of its record of the keys the learner gave a TTL: read-only, like the check).
    private Task<bool> OwnsTtlAsync(TraceRecorder recorder, LearnerKeyspace keys, string prefix, LessonCheck check)
    {
        var db = redis.GetDatabase();
        var record = WorkbenchExecutor.OwnTtlKey(keys);
        RedisKey key = prefix + check.Key;
        return recorder.RunAsync(
            RedisCommandText.Format("SISMEMBER", record, key),
            "await db.SetContainsAsync(ownTtlKeys, key); // a TTL you gave the key, or only the workbench's housekeeping one?",
            () => db.SetContainsAsync(record, key.ToString()),
            RedisCommandText.Flag);
    }

    // EXISTS on the check's own key, in the learner's space: read-only, like the check.
    private Task<bool> ExistsAsync(TraceRecorder recorder, string prefix, LessonCheck check)
    {
        var db = redis.GetDatabase();
        RedisKey key = prefix + check.Key;
        return recorder.RunAsync(RedisCommandText.Format("EXISTS", key), "await db.KeyExistsAsync(key);", () => db.KeyExistsAsync(key), RedisCommandText.Flag);
    }

    private static CheckResult Fail(LessonCheck check, string found, string message) =>
        new(check, false, found, check.Hint is null ? message : $"{message} Hint: {check.Hint}");

    // A LAB check reads the number the learner's last lab run left in their own progress hash: one HGET, read-only.
    private async Task<Reply> ReadLabAsync(TraceRecorder recorder, RedisKey progressKey, LessonCheck check)
    {
        var db = redis.GetDatabase();
        var field = LessonProgressStore.LabField(check.Key!);
        var value = await recorder.RunAsync(
            RedisCommandText.Format("HGET", progressKey, field),
            $"await db.HashGetAsync(key, {RedisCommandText.CSharpString(field)});",
            () => db.HashGetAsync(progressKey, field),
            v => v.IsNull ? "(nil)" : v.ToString()).ConfigureAwait(false);
        return value.IsNull ? new Reply(true, null, null) : new Reply(false, value.ToString(), null);
    }

    private async Task<Reply> RunAsync(TraceRecorder recorder, string prefix, LessonCheck check)
    {
        var db = redis.GetDatabase();
        RedisKey key = prefix + check.Key;
        var words = check.Command.Split(' ');
        var args = new List<object>(words.Skip(1)) { key };
        args.AddRange(check.Arguments.Skip(1));
        var command = RedisCommandText.Format(words[0], args);
        var csharp = "await db.ExecuteAsync(" + string.Join(", ", new[] { RedisCommandText.CSharpString(words[0]) }
            .Concat(words.Skip(1).Select(RedisCommandText.CSharpString))
            .Append("key")
            .Concat(check.Arguments.Skip(1).Select(RedisCommandText.CSharpString))) + ");";
        var result = await recorder.RunAsync(command, csharp, () => db.ExecuteAsync(words[0], [.. args]), r => Reply.From(check.Command, r).Display).ConfigureAwait(false);
        return Reply.From(check.Command, result);
    }

    private async Task<long> CountKeysAsync(TraceRecorder recorder, string prefix, CancellationToken cancellationToken)
    {
        long count = 0;
        // Every primary, or a RedisConnectionException: a server left out would count its keys as not there.
        await KeyScanner.ScanAsync(recorder, KeyScanner.Primaries(redis), RedisKeyspace.PrefixPattern(prefix), 1000, prefix, batch =>
        {
            count += batch.Length;
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static bool Compare(LessonCheck check, Reply reply)
    {
        var expectNil = check.Expected == "nil";
        switch (check.Operator)
        {
            case CheckOperator.Contains:
                return reply.Items is { } items ? items.Contains(check.Expected, StringComparer.Ordinal)
                    : reply.Text is { } text && text.Contains(check.Expected, StringComparison.Ordinal);
            case CheckOperator.InRange:
                return reply.Number is { } n && n >= CheckParser.Number(check.Expected) && n <= CheckParser.Number(check.ExpectedHigh!);
            case CheckOperator.Equal or CheckOperator.NotEqual:
                var equal = expectNil ? reply.IsNil
                    : reply.Text is { } answer && IsPlainNumber(answer) && IsPlainNumber(check.Expected) ? CheckParser.Number(answer) == CheckParser.Number(check.Expected)
                    : reply.Text == check.Expected;
                return equal == (check.Operator == CheckOperator.Equal);
            default:
                if (reply.Number is not { } value)
                {
                    return false;
                }

                var expected = CheckParser.Number(check.Expected);
                return check.Operator switch
                {
                    CheckOperator.Greater => value > expected,
                    CheckOperator.GreaterOrEqual => value >= expected,
                    CheckOperator.Less => value < expected,
                    _ => value <= expected,
                };
        }
    }

    /// <summary>
    /// True when <paramref name="s"/> is a plain number, as a teacher writes one and Redis prints an integer or a
    /// decimal: an optional minus, then <c>0</c> or digits without a leading zero, then optionally a point and digits
    /// (<c>42</c>, <c>-3</c>, <c>0.5</c>, <c>24.50</c>). <c>==</c> and <c>!=</c> compare two plain numbers by value
    /// (<c>24.5 == 24.50</c>) and everything else as exact text, so <c>0042</c>, <c>+42</c>, <c>1e3</c>, <c>.5</c> or
    /// <c> 42</c> equal only the same text: a code <c>0042</c> is not the number 42.
    /// </summary>
    internal static bool IsPlainNumber(string s)
    {
        var i = s.StartsWith('-') ? 1 : 0;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var digits = i - start;
        if (digits == 0 || (digits > 1 && s[start] == '0'))
        {
            return false;
        }

        if (i == s.Length)
        {
            return true;
        }

        if (s[i] != '.' || i == s.Length - 1)
        {
            return false;
        }

        return s.AsSpan(i + 1).ContainsAnyExceptInRange('0', '9') is false;
    }

    /// <summary>What a reply means, when redis-cli's words alone would puzzle a learner.</summary>
    private static string Meaning(LessonCheck check, Reply reply) => (check.Command, reply.Text) switch
    {
        ("LAB", null) when reply.IsNil => ": you have not run that lab yet. Run it in the demo above, then check again",
        ("TTL" or "PTTL", "-2") => ": the key does not exist",
        ("TTL" or "PTTL", "-1") => ": it never expires",
        ("TYPE", "none") => ": the key does not exist",
        ("EXISTS", "0") => ": the key does not exist",
        ("ZRANK" or "ZREVRANK", null) when reply.IsNil => ": the member is not in the sorted set, or the key does not exist",
        ("HGET" or "ZSCORE", null) when reply.IsNil => ": there is no such field or member, or the key does not exist",
        ("GET" or "LINDEX" or "GEODIST" or "OBJECT ENCODING", null) when reply.IsNil => ": nothing is there",
        _ => "",
    };

    private static string Quote(string arg) => arg.Length == 0 || arg.Any(c => char.IsWhiteSpace(c) || c == '"') ? RedisCommandText.Argument(arg) : arg;

    /// <summary>A reply reduced to what checks compare: nil, a number, text, or a list of texts.</summary>
    private sealed record Reply(bool IsNil, string? Text, IReadOnlyList<string>? Items)
    {
        public double? Number => Text is { } t && CheckParser.IsNumber(t) ? CheckParser.Number(t) : null;

        /// <summary>Nil, 0 or an empty list: what a command answers for a key that does not exist.</summary>
        public bool LooksEmpty => IsNil || Text == "0" || Items is { Count: 0 };

        public string Display => IsNil ? "(nil)" : Items is { } items ? (items.Count == 0 ? "(empty array)" : "[" + string.Join(", ", items) + "]") : Text!;

        public static Reply Of(long value) => new(false, value.ToString(CultureInfo.InvariantCulture), null);

        public static Reply From(string command, RedisResult result)
        {
            if (result.IsNull)
            {
                return new Reply(true, null, null);
            }

            if (result.Resp2Type == ResultType.Array)
            {
                var parts = (RedisResult[])result!;
                if (command == "XPENDING")
                {
                    // The summary form: [count, smallest id, greatest id, consumers]; a check compares the count.
                    return Of((long)parts[0]);
                }

                return new Reply(false, null, [.. parts.Select(p => p.IsNull ? "(nil)" : (string)p!)]);
            }

            return new Reply(false, result.Resp2Type == ResultType.Integer ? ((long)result).ToString(CultureInfo.InvariantCulture) : (string?)result, null);
        }
    }
}
