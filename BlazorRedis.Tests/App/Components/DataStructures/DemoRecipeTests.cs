using BlazorRedis.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

/// <summary>
/// CONTRIBUTING.md promises that a demo is one Core folder, one page folder and one registration line. These checks
/// read the source and the registrations of every registered demo and keep that promise true.
/// </summary>
public class DemoRecipeTests
{
    private static readonly string Root = SourceTree.Root;

    public static TheoryData<string> Demos()
    {
        var data = new TheoryData<string>();
        foreach (var ns in RegisteredDemoNamespaces())
        {
            data.Add(ns);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Demos))]
    public void A_demo_lives_in_its_two_folders_and_one_registration_line(string coreNamespace)
    {
        var folder = coreNamespace["BlazorRedis.Core.".Length..];
        var coreFolder = Path.Combine(Root, "BlazorRedis.Core", folder);
        var pageFolder = Path.Combine(Root, "BlazorRedis.App", "Components", "Pages", "DataStructures", folder);
        Assert.True(Directory.Exists(coreFolder), $"{coreFolder} is missing");
        Assert.True(Directory.Exists(pageFolder), $"{pageFolder} is missing");

        // Nothing outside the two folders names the demo's namespace, except the one registration file.
        var registration = Path.Combine(Root, "BlazorRedis.Core", "DataStructures", "DemoServiceCollectionExtensions.cs");
        var outside = SourceFiles()
            .Where(f => !f.StartsWith(coreFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                        && !f.StartsWith(pageFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                        && f != registration)
            .Where(f => File.ReadAllText(f).Contains(coreNamespace + ";", StringComparison.Ordinal) || File.ReadAllText(f).Contains(coreNamespace + ".", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();
        Assert.Empty(outside);

        // About five files: the Core folder's contract, service and module and the page's pair (plus its picture);
        // the records the contract returns sit beside them, one per file, and are not counted.
        var files = Directory.GetFiles(coreFolder).Count(f => !IsDataOnly(f)) + Directory.GetFiles(pageFolder).Where(f => !f.EndsWith(".css", StringComparison.Ordinal)).Count();
        Assert.InRange(files, 5, 9);
    }

    [Theory]
    [MemberData(nameof(Demos))]
    public void Every_core_file_of_a_demo_holds_one_public_type(string coreNamespace)
    {
        var coreFolder = Path.Combine(Root, "BlazorRedis.Core", coreNamespace["BlazorRedis.Core.".Length..]);
        var crowded = Directory.GetFiles(coreFolder, "*.cs")
            .Where(f => TopLevelTypes(f).Count > 1)
            .Select(f => $"{Path.GetFileName(f)}: {string.Join(", ", TopLevelTypes(f))}")
            .ToList();
        Assert.Empty(crowded);
        Assert.All(Directory.GetFiles(coreFolder, "*.cs"), f => Assert.Equal(Path.GetFileNameWithoutExtension(f), Assert.Single(TopLevelTypes(f))));
    }

    [Fact]
    public void The_registration_is_one_line_per_demo()
    {
        var text = File.ReadAllText(Path.Combine(Root, "BlazorRedis.Core", "DataStructures", "DemoServiceCollectionExtensions.cs"));
        var lines = text.Split('\n').Count(l => l.TrimStart().StartsWith("services.AddDemo<", StringComparison.Ordinal));

        Assert.Equal(RegisteredDemoNamespaces().Count, lines);
    }

    private static List<string> RegisteredDemoNamespaces() =>
        new ServiceCollection().AddDataStructureDemos()
            .Where(d => d.ServiceType.IsInterface && d.ServiceType != typeof(IDataStructureDemo) && typeof(IDataStructureDemo).IsAssignableFrom(d.ServiceType))
            .Select(d => d.ServiceType.Namespace!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> SourceFiles() => SourceTree.Files(".cs", ".razor");

    private static readonly System.Text.RegularExpressions.Regex TypeDeclaration = new(
        @"^(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly)\s+)*(?<kind>record struct|record|class|interface|enum|struct)\s+(?<name>\w+)",
        System.Text.RegularExpressions.RegexOptions.Multiline);

    private static List<string> TopLevelTypes(string file) =>
        TypeDeclaration.Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>A file that declares only records or enums: data the contract returns, not a part of the recipe.</summary>
    private static bool IsDataOnly(string file) =>
        TypeDeclaration.Matches(File.ReadAllText(file)).All(m => m.Groups["kind"].Value is "record" or "record struct" or "enum");
}
