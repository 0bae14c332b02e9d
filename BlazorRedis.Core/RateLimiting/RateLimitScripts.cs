using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>One algorithm's Lua script: its text, its SHA1 (what EVALSHA sends) and the names of its ARGV.</summary>
public sealed class RateLimitScript
{
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "Redis names cached scripts by their SHA1; this is an identifier, not security.")]
    internal RateLimitScript(RateLimitAlgorithm algorithm, string source, IReadOnlyList<string> argumentNames)
    {
        Algorithm = algorithm;
        Script = LuaScript.Prepare(source);
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Script.ExecutableScript)));
        ArgumentNames = argumentNames;
    }

    /// <summary>The algorithm this script decides for.</summary>
    public RateLimitAlgorithm Algorithm { get; }

    /// <summary>The prepared script, loaded once per server with SCRIPT LOAD.</summary>
    public LuaScript Script { get; }

    /// <summary>The text Redis caches and runs; its one key arrives in <c>KEYS[1]</c>, the limits in <c>ARGV</c>.</summary>
    public string Source => Script.ExecutableScript;

    /// <summary>The SHA1 digest of <see cref="Source"/>: what EVALSHA sends instead of the script body.</summary>
    public string Sha1 { get; }

    /// <summary>What <c>ARGV[1]</c>, <c>ARGV[2]</c>… hold, in order (for the C# snippets).</summary>
    public IReadOnlyList<string> ArgumentNames { get; }

    /// <summary>The name of the .lua file, for the page and the C# snippets.</summary>
    public string FileName => Algorithm.Slug() + ".lua";
}

/// <summary>The four scripts, read once from the embedded .lua files.</summary>
public static class RateLimitScripts
{
    private static Dictionary<RateLimitAlgorithm, RateLimitScript> Scripts { get; } = RateLimitAlgorithms.All.ToDictionary(
        a => a,
        a => new RateLimitScript(a, Read(a.Slug() + ".lua"), a == RateLimitAlgorithm.TokenBucket ? ["capacity", "refillPerSecond"] : ["limit", "windowMs"]));

    /// <summary>The script of <paramref name="algorithm"/>.</summary>
    public static RateLimitScript For(RateLimitAlgorithm algorithm) => Scripts[algorithm];

    private static string Read(string fileName)
    {
        var name = "BlazorRedis.Core.RateLimiting.Scripts." + fileName;
        using var stream = typeof(RateLimitScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
