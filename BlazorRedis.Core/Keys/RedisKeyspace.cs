using System.Text;
using BlazorRedis.Core;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Keys;

/// <summary>
/// Builds every key the app writes, always under the configured prefix. Segments are checked so user input
/// can never escape the prefix, break a hash tag or carry control characters.
/// </summary>
public sealed class RedisKeyspace
{
    /// <summary>The longest segment accepted (Redis allows 512 MB keys; a lesson never needs more).</summary>
    public const int MaxSegmentLength = 200;

    public RedisKeyspace(IOptions<KeyspaceOptions> options)
        : this(options?.Value.Prefix ?? throw new ArgumentNullException(nameof(options)), TimeSpan.FromSeconds(options.Value.LearnerKeyTtlSeconds))
    {
    }

    public RedisKeyspace(string prefix, TimeSpan? learnerKeyTtl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        Prefix = prefix;
        LearnerKeyTtl = learnerKeyTtl ?? TimeSpan.FromDays(1);
    }

    /// <summary>The app's prefix, e.g. <c>br:</c>.</summary>
    public string Prefix { get; }

    /// <summary>How long learner demo keys live after a write.</summary>
    public TimeSpan LearnerKeyTtl { get; }

    /// <summary><c>{prefix}a:b:c</c>.</summary>
    public RedisKey Key(params ReadOnlySpan<string> segments) => Prefix + Join(segments);

    /// <summary>
    /// <c>{prefix}{tag}:a:b</c>: keys that share <paramref name="tag"/> hash to one Redis Cluster slot, so one
    /// command or Lua script may use them together.
    /// </summary>
    public RedisKey Tagged(string tag, params ReadOnlySpan<string> segments)
    {
        Validate(tag, nameof(tag));
        return segments.Length == 0 ? $"{Prefix}{{{tag}}}" : $"{Prefix}{{{tag}}}:{Join(segments)}";
    }

    /// <summary>The keys of one learner: <c>{prefix}learner:{id}:…</c>, all in one cluster slot.</summary>
    public LearnerKeyspace ForLearner(LearnerId learner) =>
        learner.Value is null ? throw new ArgumentException("A learner id is required.", nameof(learner)) : new(this, learner);

    /// <summary>A SCAN MATCH pattern that matches exactly the keys starting with <paramref name="prefix"/>.</summary>
    public static string PrefixPattern(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var sb = new StringBuilder(prefix.Length + 2);
        foreach (var c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('*').ToString();
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a learner-readable reason if <paramref name="segment"/> is not a safe key part.</summary>
    public static void Validate(string segment, string name = "segment")
    {
        if (TryValidate(segment, out var error))
        {
            return;
        }

        throw new LearnerInputException(error, name);
    }

    /// <summary>Checks a key segment; <paramref name="error"/> says why it is refused.</summary>
    public static bool TryValidate(string? segment, out string error)
    {
        if (string.IsNullOrWhiteSpace(segment))
        {
            error = "A key part must not be empty.";
            return false;
        }

        if (segment.Length > MaxSegmentLength)
        {
            error = $"A key part must be at most {MaxSegmentLength} characters.";
            return false;
        }

        foreach (var c in segment)
        {
            if (char.IsControl(c))
            {
                error = "A key part must not contain control characters such as line breaks.";
                return false;
            }

            if (c is '{' or '}')
            {
                error = "A key part must not contain { or }: they mark Redis Cluster hash tags.";
                return false;
            }
        }

        error = "";
        return true;
    }

    internal static string Join(ReadOnlySpan<string> segments)
    {
        if (segments.Length == 0)
        {
            throw new ArgumentException("At least one key segment is required.", nameof(segments));
        }

        foreach (var s in segments)
        {
            Validate(s);
        }

        return string.Join(':', segments.ToArray());
    }
}

/// <summary>One learner's keys. Everything under <see cref="Prefix"/> belongs to this learner alone.</summary>
public sealed class LearnerKeyspace
{
    internal LearnerKeyspace(RedisKeyspace root, LearnerId learner)
    {
        Root = root;
        Learner = learner;
        Prefix = $"{root.Prefix}learner:{{{learner.Value}}}:";
    }

    /// <summary>The app-wide keyspace this one lives in.</summary>
    public RedisKeyspace Root { get; }

    /// <summary>Whose keys these are.</summary>
    public LearnerId Learner { get; }

    /// <summary><c>br:learner:{id}:</c>.</summary>
    public string Prefix { get; }

    /// <summary>How long demo keys live after a write.</summary>
    public TimeSpan KeyTtl => Root.LearnerKeyTtl;

    /// <summary><c>br:learner:{id}:area:a:b</c> (at least one segment after the area). The learner id is the hash tag, so any two of a learner's keys can meet in one command.</summary>
    public RedisKey Key(string area, params ReadOnlySpan<string> segments)
    {
        RedisKeyspace.Validate(area, nameof(area));
        return $"{Prefix}{area}:{RedisKeyspace.Join(segments)}";
    }

    /// <summary>The prefix of one demo area, e.g. <c>br:learner:{id}:strings:</c>.</summary>
    public string AreaPrefix(string area)
    {
        RedisKeyspace.Validate(area, nameof(area));
        return $"{Prefix}{area}:";
    }
}
