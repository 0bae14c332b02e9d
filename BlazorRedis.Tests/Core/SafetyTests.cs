using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core;

/// <summary>
/// The app runs on other people's Redis. These checks read the source and fail if any code path could
/// issue FLUSHALL, FLUSHDB, KEYS or CONFIG SET against the main server.
/// </summary>
public partial class SafetyTests
{
    private static readonly string Root = SourceTree.Root;

    public static TheoryData<string> ForbiddenPatterns() => new()
    {
        "FlushAllDatabases",
        "FlushDatabase",
        "Execute(\"FLUSHALL\"",
        "ExecuteAsync(\"FLUSHALL\"",
        "Execute(\"FLUSHDB\"",
        "ExecuteAsync(\"FLUSHDB\"",
        "Execute(\"KEYS\"",
        "ExecuteAsync(\"KEYS\"",
        "call('KEYS'",
        "call(\"KEYS\"",
        "call('FLUSH",
        ".Keys(",
        ".KeysAsync(",
        "ConfigSet",
        "\"CONFIG\", \"SET\"",
    };

    [Theory]
    [MemberData(nameof(ForbiddenPatterns))]
    public void No_app_or_core_source_issues_a_dangerous_command(string pattern)
    {
        var offenders = SourceFiles()
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Eviction{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains(pattern, StringComparison.Ordinal))
            .ToList();

        Assert.True(offenders.Count == 0, $"{pattern} appears in: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void The_source_scan_sees_the_code()
    {
        Assert.Contains(SourceFiles(), f => f.EndsWith("KeyspaceJanitor.cs", StringComparison.Ordinal));
        Assert.True(SourceFiles().Count() > 20);
    }

    [Fact]
    public void Core_references_no_aspnet_or_blazor()
    {
        var project = File.ReadAllText(Path.Combine(Root, "BlazorRedis.Core", "BlazorRedis.Core.csproj"));
        Assert.DoesNotMatch(AspNetReference(), project);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(Root, "BlazorRedis.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal)),
            f => File.ReadAllText(f).Contains("using Microsoft.AspNetCore", StringComparison.Ordinal) || File.ReadAllText(f).Contains("using MudBlazor", StringComparison.Ordinal));
    }

    private static IEnumerable<string> SourceFiles() => SourceTree.Files(".cs", ".razor", ".lua");

    [GeneratedRegex("Include=\"(Microsoft\\.AspNetCore|MudBlazor)|Sdk=\"Microsoft\\.NET\\.Sdk\\.(Web|Razor)")]
    private static partial Regex AspNetReference();
}
