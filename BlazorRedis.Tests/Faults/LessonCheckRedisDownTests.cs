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
/// grade (a DBSIZE check walked no server and graded "0 keys" as the learner's work). A quiz answered then says, beside
/// it, that the answer was not saved.
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

    private const string QuizLesson = """
        ---
        id: quizzing
        title: A question
        area: Data structures
        order: 1
        minutes: 5
        prerequisites:
        ---
        ## One question

        ```quiz
        question: Where does Redis keep its data?
        - [x] In memory -- Right: that is why it is fast.
        - [ ] Only on disk -- It persists to disk, but serves from memory.
        ```
        """;

    [Fact]
    public async Task Checking_your_work_while_redis_is_down_says_the_check_could_not_run_and_grades_nothing()
    {
        var cut = await RenderLessonWithRedisStoppedAsync("01-counting.md", Lesson, "counting");
        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Redis is unavailable", cut.Find("[data-testid=check-unavailable]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Empty(cut.FindAll("[data-testid=check-result]"));
    }

    [Fact]
    public async Task Answering_a_quiz_while_redis_is_down_says_beside_it_that_the_answer_was_not_saved()
    {
        // The review's repro: "Right!" and the explanations, no warning; after Redis came back the answer was gone.
        var cut = await RenderLessonWithRedisStoppedAsync("01-quizzing.md", QuizLesson, "quizzing");
        await cut.Find("[data-testid=quiz-choice]").ChangeAsync(new() { Value = true });
        await cut.Find("[data-testid=quiz-submit]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.StartsWith("Right, but your answer was not saved:", cut.Find("[data-testid=quiz-error]").TextContent.Trim(), StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.EndsWith("Answer again once Redis is back.", cut.Find("[data-testid=quiz-error]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=quiz-verdict]"));
    }

    // The lesson page on a Redis that was started and then stopped, so the connection exists but nothing answers.
    private async Task<IRenderedComponent<LessonPage>> RenderLessonWithRedisStoppedAsync(string file, string markdown, string id)
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var redis = await RestartableRedis.StartAsync();
        _owned.Add(redis);
        var mux = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},abortConnect=false,connectTimeout=500");
        _owned.Add(mux);
        redis.Stop();
        for (var i = 0; i < 200 && mux.IsConnected; i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.False(mux.IsConnected);
        File.WriteAllText(Path.Combine(_folder, file), markdown);
        var tracer = new RedisTracer(mux);
        var keyspace = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:");
        var options = Options.Create(new LessonOptions { BuiltInDirectory = _folder });
        var catalog = new LessonCatalog(options, NullLogger<LessonCatalog>.Instance);
        _owned.Add(catalog);
        Services.AddSingleton(catalog);
        Services.AddSingleton(new LessonProgressStore(mux, keyspace, tracer, options));
        Services.AddSingleton(new CheckEvaluator(mux, tracer));
        Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, new RedisSessionStore(mux, keyspace, tracer, Options.Create(new SessionOptions()), area: RedisSessionStore.DemoArea));
        Services.AddSingleton(new WorkbenchExecutor(mux, tracer, keyspace, new RedisCommandBudget(mux, TimeSpan.FromSeconds(1)), Options.Create(new WorkbenchOptions())));
        return RenderWithProviders<LessonPage>(p => p.Add(x => x.Id, id));
    }

    private readonly List<object> _owned = [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            switch (owned)
            {
                case IAsyncDisposable later:
                    later.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    break;
                case IDisposable now:
                    now.Dispose();
                    break;
            }
        }

        Directory.Delete(_folder, recursive: true);
    }
}
