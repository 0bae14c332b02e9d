namespace BlazorRedis.Tests.Infrastructure;

/// <summary>The repository's source, for tests that read code (safety rules, the tenth-demo recipe).</summary>
internal static class SourceTree
{
    /// <summary>The folder holding BlazorRedis.sln, found above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The README, for the tests that keep it true to the code.</summary>
    public static string Readme => File.ReadAllText(Path.Combine(Root, "README.md"));

    /// <summary>Every file of the Core and App projects with one of <paramref name="extensions"/> (e.g. ".cs"), build output left out.</summary>
    public static IEnumerable<string> Files(params string[] extensions) =>
        new[] { "BlazorRedis.Core", "BlazorRedis.App" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, p), "*.*", SearchOption.AllDirectories))
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BlazorRedis.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("BlazorRedis.sln not found above the test folder.");
    }
}
