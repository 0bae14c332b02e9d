namespace BlazorRedis.Core.HyperLogLog;

/// <summary>
/// A deterministic stream of search terms with a known number of distinct terms: every distinct term appears
/// once, then half of them appear again (people repeat searches), in an order fixed by the seed. So the exact
/// answer is known without asking Redis, and the same seed always gives the same stream.
/// </summary>
public sealed class SearchTermGenerator
{
    private static readonly string[] Topics =
    [
        "redis", "cache", "blazor", "dotnet", "docker", "kafka", "postgres", "linux", "python", "rust",
        "react", "kubernetes", "nginx", "mongodb", "graphql", "azure", "aws", "terraform", "git", "java",
        "sql", "json", "http", "grpc", "oauth", "csharp", "typescript", "go", "lua", "bash",
        "vim", "css", "html", "spark", "flink", "elastic", "prometheus", "grafana", "jwt", "tls",
    ];

    private static readonly string[] Intents =
    [
        "tutorial", "example", "vs", "error", "install", "best practices", "performance", "cheat sheet", "interview questions", "docs",
        "timeout", "memory", "cluster", "config", "benchmark", "migration", "security", "logging", "testing", "pricing",
        "latest version", "download", "course", "book", "alternative",
    ];

    private readonly long _multiplier;

    /// <summary>A stream over <paramref name="distinct"/> different terms, shuffled by <paramref name="seed"/>.</summary>
    public SearchTermGenerator(int distinct, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(distinct, 1);
        Distinct = distinct;
        Seed = seed;

        // Visiting index i * m mod n for i = 0..n-1 touches every index once when m and n share no factor:
        // a shuffle that needs no memory, so a million terms cost nothing to generate.
        var random = new Random(seed);
        long m;
        do
        {
            m = random.NextInt64(distinct / 3 + 1, Math.Max(distinct / 3 + 2, distinct));
        }
        while (Gcd(m, distinct) != 1);
        _multiplier = m;
    }

    /// <summary>How many different terms the stream holds: the exact answer.</summary>
    public int Distinct { get; }

    /// <summary>The seed that fixes the order.</summary>
    public int Seed { get; }

    /// <summary>How many searches the stream yields (each distinct term once, half of them twice).</summary>
    public int Length => Distinct + (Distinct / 2);

    /// <summary>The searches, in order.</summary>
    public IEnumerable<string> Terms()
    {
        for (long i = 0; i < Length; i++)
        {
            yield return Term((int)((i * _multiplier) % Distinct));
        }
    }

    /// <summary>Distinct term number <paramref name="index"/>, e.g. "redis tutorial 3".</summary>
    public static string Term(int index)
    {
        var perBlock = Topics.Length * Intents.Length;
        var topic = Topics[index % Topics.Length];
        var intent = Intents[index / Topics.Length % Intents.Length];
        var block = index / perBlock;
        return block == 0 ? $"{topic} {intent}" : $"{topic} {intent} {block}";
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
