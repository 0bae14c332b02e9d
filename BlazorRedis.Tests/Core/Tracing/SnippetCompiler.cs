using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Tracing;

/// <summary>
/// Compiles the C# a trace shows (<c>OperationTrace.CSharp</c>, the text of the copy button) with Roslyn against
/// StackExchange.Redis and the platform, inside one harness method per snippet.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>
    /// The names a snippet may use without declaring them: the client objects every StackExchange.Redis program has
    /// (<c>redis</c>, <c>db</c>, <c>sub</c>, <c>server</c>), the one key the trace's redis-cli line names (<c>key</c>),
    /// and a <c>cancellationToken</c>. Anything else (a second key, a value, a script) the snippet declares itself, so
    /// what a learner copies is self-contained. The usings are a console project's implicit ones plus StackExchange.Redis.
    /// </summary>
    public const string HarnessParameters = "IConnectionMultiplexer redis, IDatabase db, ISubscriber sub, IServer server, RedisKey key, CancellationToken cancellationToken";

    /// <summary>
    /// What a program that uses the caching libraries also has (the libraries lab's snippets): the two caches, the
    /// product database the factories load from, and, for "cache any call", the text and the slow function.
    /// </summary>
    public const string LibraryParameters = "HybridCache hybridCache, IFusionCache fusionCache, IProductDatabase database, string text, Func<string, int, CancellationToken, Task<string>> SummarizeSlowlyAsync";

    private const string LibraryUsings = "using Microsoft.Extensions.Caching.Hybrid; using ZiggyCreatures.Caching.Fusion; using BlazorRedis.Core.Caching.Catalog; using BlazorRedis.Core.Caching.Libraries;";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. trusted
            .Append(typeof(IDatabase).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.Caching.Hybrid.HybridCache).Assembly.Location)
            .Append(typeof(ZiggyCreatures.Caching.Fusion.IFusionCache).Assembly.Location)
            .Append(typeof(BlazorRedis.Core.Caching.Catalog.IProductDatabase).Assembly.Location)
            .Distinct(StringComparer.Ordinal).Select(p => MetadataReference.CreateFromFile(p))];
    });

    /// <summary>The source of the harness around <paramref name="snippet"/> (with the libraries' names when <paramref name="libraries"/>).</summary>
    public static string Wrap(string snippet, bool libraries = false) =>
        $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using StackExchange.Redis;
        {{(libraries ? LibraryUsings : "")}}

        public static class Harness
        {
            public static async Task Run({{HarnessParameters}}{{(libraries ? ", " + LibraryParameters : "")}})
            {
        {{snippet}}
            }
        }
        """;

    /// <summary>The compiler errors of <paramref name="snippet"/> (empty when it compiles).</summary>
    public static IReadOnlyList<string> Errors(string snippet, bool libraries = false)
    {
        var tree = CSharpSyntaxTree.ParseText(Wrap(snippet, libraries), new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"),
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())];
    }
}
