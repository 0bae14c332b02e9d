using BlazorRedis.App.Components.Pages.Course;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// A lesson's "Check my work" while Redis is stopped: the learner is told the check could not run, never shown a
/// grade (a DBSIZE check walked no server and graded "0 keys" as the learner's work).
/// </summary>
public sealed class LessonCheckRedisDownTests : MudTestContext
{
    private const string Lesson = """
        ---
        id: counting
        title: Count your keys
        area: Data structures
        order: 1
        minutes: 5
        prerequisites:
        ---
        ## Make some keys

        ```check
        DBSIZE >= 1 -- Run SET a 1 in the workbench first.
        ```
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("br-course-").FullName;

    [Fact]
    public async Task Checking_your_work_while_redis_is_down_says_the_check_could_not_run_and_grades_nothing()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var redis = await RestartableRedis.StartAsync();
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},abortConnect=false,connectTimeout=500");
        redis.Stop();
        for (var i = 0; i < 200 && mux.IsConnected; i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.False(mux.IsConnected);
        File.WriteAllText(Path.Combine(_folder, "01-counting.md"), Lesson);
        var tracer = new RedisTracer(mux);
        var keyspace = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:");
        var options = Options.Create(new LessonOptions { BuiltInDirectory = _folder });
        using var catalog = new LessonCatalog(options, NullLogger<LessonCatalog>.Instance);
        Services.AddSingleton(catalog);
        Services.AddSingleton(new LessonProgressStore(mux, keyspace, tracer, options));
        Services.AddSingleton(new CheckEvaluator(mux, tracer));
        Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, new RedisSessionStore(mux, keyspace, tracer, Options.Create(new SessionOptions()), area: RedisSessionStore.DemoArea));
        Services.AddSingleton(new WorkbenchExecutor(mux, tracer, keyspace, new RedisCommandBudget(mux, TimeSpan.FromSeconds(1)), Options.Create(new WorkbenchOptions())));

        var cut = RenderWithProviders<LessonPage>(p => p.Add(x => x.Id, "counting"));
        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Redis is unavailable", cut.Find("[data-testid=check-unavailable]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Empty(cut.FindAll("[data-testid=check-result]"));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Directory.Delete(_folder, recursive: true);
    }
}
