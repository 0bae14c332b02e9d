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

        // About five files: the Core folder's contract, service and module (plus its records) and the page's pair (plus its picture).
        var files = Directory.GetFiles(coreFolder).Length + Directory.GetFiles(pageFolder).Where(f => !f.EndsWith(".css", StringComparison.Ordinal)).Count();
        Assert.InRange(files, 5, 9);
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
}
