using System.Reflection;
using System.Text.RegularExpressions;
using BlazorRedis.App.Classroom;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.ClusterLab;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Docs;

/// <summary>The README stays true to the code: every setting the app binds is in its configuration table, and nothing there is stale.</summary>
public partial class ReadmeTests
{
    // Each options class and the configuration section the app binds it from (AddOptions<T>().Bind(...) in the
    // service registrations). A class added there and not here fails Every_bound_option_type_is_listed_here.
    private static readonly (string Section, Type Options)[] Bound =
    [
        ("Redis", typeof(RedisConnectionOptions)),
        ("Keyspace", typeof(KeyspaceOptions)),
        ("Catalog", typeof(CatalogOptions)),
        ("Caching", typeof(CachingOptions)),
        ("Caching:Eviction", typeof(EvictionLabOptions)),
        ("Libraries", typeof(LibrariesOptions)),
        ("Classroom", typeof(ClassroomOptions)),
        ("Classroom", typeof(ClassOptions)),
        ("ScaleOut", typeof(ScaleOutOptions)),
        ("ScaleOut", typeof(FleetMetricsOptions)),
        ("ClusterLab", typeof(ClusterLabOptions)),
        ("Metrics", typeof(CacheMetricsOptions)),
        ("Sessions", typeof(SessionOptions)),
        ("RateLimiting", typeof(RateLimitingOptions)),
        ("PubSub", typeof(PubSubOptions)),
        ("Budgets", typeof(BudgetOptions)),
        ("Workbench", typeof(WorkbenchOptions)),
        ("Lessons", typeof(LessonOptions)),
        ("Demos", typeof(LeaderboardOptions)),
        ("ForwardedHeaders", typeof(TrustedProxyOptions)),
    ];

    // Bound, but documented under the names people set: REDIS_URL and ConnectionStrings:redis.
    private static readonly HashSet<string> DocumentedElsewhere = new(StringComparer.Ordinal) { "Redis:Url", "Redis:ConnectionString" };

    // Documented because they matter here, but read by ASP.NET Core itself.
    private static readonly HashSet<string> ReadByTheFramework = new(StringComparer.Ordinal) { "ASPNETCORE_FORWARDEDHEADERS_ENABLED" };

    /// <summary>
    /// The settings the configuration table names. A row's first cell holds one or more settings in backticks:
    /// <c>`Caching:WriteBehindPollMs` / `WriteBehindClaimIdleMs`</c>, where a name without a section shares the first one's.
    /// </summary>
    private static HashSet<string> DocumentedSettings()
    {
        var text = SourceTree.Readme;
        var start = text.IndexOf("## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Configuration section.");
        var table = text[start..].Split('\n').SkipWhile(l => !l.StartsWith("| Setting", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'));
        var settings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in table)
        {
            var names = Backticked().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(names);
            var section = names[0].Contains(':', StringComparison.Ordinal) ? names[0][..names[0].LastIndexOf(':')] : "";
            settings.Add(names[0]);
            foreach (var name in names.Skip(1))
            {
                settings.Add(section.Length > 0 && !name.Contains(':', StringComparison.Ordinal) ? $"{section}:{name}" : name);
            }
        }

        return settings;
    }

    /// <summary>Every setting the configuration binder would fill: public read-write properties, nested classes by their own section.</summary>
    private static IEnumerable<string> BindableSettings(string section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic))
        {
            var name = $"{section}:{property.Name}";
            var kind = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (kind.IsClass && kind != typeof(string) && !kind.IsArray && !kind.IsGenericType)
            {
                foreach (var nested in BindableSettings(name, kind))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    [Fact]
    public void Every_setting_the_app_binds_is_in_the_configuration_table()
    {
        var documented = DocumentedSettings();
        var missing = Bound.SelectMany(b => BindableSettings(b.Section, b.Options))
            .Where(s => !documented.Contains(s) && !DocumentedElsewhere.Contains(s))
            .ToList();

        Assert.True(missing.Count == 0, "Not in the README's configuration table: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_setting_in_the_configuration_table_is_one_the_app_reads()
    {
        var bound = Bound.SelectMany(b => BindableSettings(b.Section, b.Options)).ToHashSet(StringComparer.Ordinal);
        // Settings read straight from configuration (REDIS_URL, Api:MaxRequestBodyBytes …) are named in the source.
        var source = string.Concat(SourceTree.Files(".cs").Select(File.ReadAllText));
        var stale = DocumentedSettings()
            .Where(s => !bound.Contains(s) && !ReadByTheFramework.Contains(s))
            .Where(s => !source.Contains($"\"{s}\"", StringComparison.Ordinal)
                        && !source.Contains($"\"{s.Replace(':', '_')}\"", StringComparison.Ordinal)
                        && !source.Contains($"GetConnectionString(\"{s.Split(':').Last()}\")", StringComparison.Ordinal))
            .ToList();

        Assert.True(stale.Count == 0, "In the README's configuration table, but read nowhere: " + string.Join(", ", stale));
    }

    [Fact]
    public void Every_bound_option_type_is_listed_here()
    {
        // The classes the service registrations bind, read from the source, so a new one cannot slip past the table above.
        var registered = SourceTree.Files(".cs").Select(File.ReadAllText)
            .SelectMany(code => AddOptions().Matches(code).Select(m => m.Groups[1].Value.Split('.').Last()))
            .ToHashSet(StringComparer.Ordinal);
        var listed = Bound.Select(b => b.Options.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(registered.Except(listed));
    }

    [Fact]
    public void The_page_table_counts_the_lessons_the_course_ships()
    {
        var lessons = Directory.GetFiles(Path.Combine(SourceTree.Root, "BlazorRedis.App", "Lessons"), "*.md").Length;

        var counted = LessonCount().Match(SourceTree.Readme);
        Assert.True(counted.Success, "The README's page table no longer says how many lessons there are.");
        Assert.Equal(lessons, int.Parse(counted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    // AddOptions<T>() bound from configuration (options the code configures itself, e.g. the rate limiter's, are not settings).
    [GeneratedRegex(@"AddOptions<([A-Za-z.]+)>\(\)\s*\.(?:Bind|BindConfiguration)\(")]
    private static partial Regex AddOptions();

    [GeneratedRegex(@"\| Course \| [^|]*\| (\d+) lessons ")]
    private static partial Regex LessonCount();
}
