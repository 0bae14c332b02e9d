using System.Globalization;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.RateLimiting;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// The numbers a lab run leaves in the learner's progress, so a lesson's <c>LAB name OP expected</c> check can grade
/// what the learner got in the embedded demo ("run it with no protection, then with the lock"). Names are
/// <c>lab.variant.measure</c>, e.g. <c>stampede.lock.loads</c> or <c>rate-limit-burst.token-bucket.allowed</c>.
/// </summary>
public static class LabResults
{
    private static readonly string[] StampedeMeasures = ["loads", "readers", "waited"];
    private static readonly string[] BurstMeasures = ["allowed", "rejected"];

    /// <summary>Every name a LAB check may read.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Enum.GetValues<StampedeProtection>().SelectMany(p => StampedeMeasures.Select(m => $"stampede.{Slug(p)}.{m}")),
        "rate-limit-burst.size",
        .. Enum.GetValues<RateLimitAlgorithm>().SelectMany(a => BurstMeasures.Select(m => $"rate-limit-burst.{Slug(a)}.{m}")),
        "cluster.crossslot.refused",
        "cluster.tagged.accepted",
    ];

    private static readonly HashSet<string> Known = new(Names, StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is a result some lab records.</summary>
    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>What one stampede race leaves: database loads, readers, and readers that waited for a load.</summary>
    public static IReadOnlyList<(string Name, long Value)> Of(StampedeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var p = Slug(result.Protection);
        return [($"stampede.{p}.loads", result.DatabaseLoads), ($"stampede.{p}.readers", result.Requests), ($"stampede.{p}.waited", result.ReadersWaited)];
    }

    /// <summary>What one burst leaves: its size, and each algorithm's allowed and rejected requests.</summary>
    public static IReadOnlyList<(string Name, long Value)> Of(BurstResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return
        [
            ("rate-limit-burst.size", result.Size),
            .. Enum.GetValues<RateLimitAlgorithm>().SelectMany(a => new[]
            {
                ($"rate-limit-burst.{Slug(a)}.allowed", (long)result.Allowed(a)),
                ($"rate-limit-burst.{Slug(a)}.rejected", (long)result.Rejected(a)),
            }),
        ];
    }

    /// <summary>What the cluster lab's two-key experiment leaves: 1 when the untagged MSET was refused, 1 when the tagged one was accepted.</summary>
    public static IReadOnlyList<(string Name, long Value)> Of(BlazorRedis.Core.ClusterLab.CrossSlotResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [("cluster.crossslot.refused", result.UntaggedRefused ? 1 : 0), ("cluster.tagged.accepted", result.TaggedReply == "OK" ? 1 : 0)];
    }

    /// <summary><c>TokenBucket</c> → <c>token-bucket</c>; <c>XFetch</c> → <c>xfetch</c>.</summary>
    public static string Slug(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.ToString();
        if (name == nameof(StampedeProtection.XFetch))
        {
            return "xfetch";
        }

        var slug = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                slug.Append('-');
            }

            slug.Append(char.ToLower(name[i], CultureInfo.InvariantCulture));
        }

        return slug.ToString();
    }
}
