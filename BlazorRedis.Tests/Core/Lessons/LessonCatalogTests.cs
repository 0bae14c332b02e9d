using BlazorRedis.Core.Lessons;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Lessons;

/// <summary>The built-in course plus a teacher's watched folder.</summary>
public sealed class LessonCatalogTests : IDisposable
{
    private readonly string _builtIn = Directory.CreateTempSubdirectory("br-builtin-").FullName;
    private readonly string _teacher = Directory.CreateTempSubdirectory("br-teacher-").FullName;

    private static string Lesson(string id, string title, int order) => $"""
        ---
        id: {id}
        title: {title}
        area: Caching
        order: {order}
        minutes: 5
        ---
        Text.
        """;

    public void Dispose()
    {
        Directory.Delete(_builtIn, recursive: true);
        Directory.Delete(_teacher, recursive: true);
    }

    private LessonCatalog Open() =>
        new(Options.Create(new LessonOptions { BuiltInDirectory = _builtIn, Directory = _teacher }), NullLogger<LessonCatalog>.Instance);

    [Fact]
    public void A_teachers_lesson_adds_to_the_course_or_replaces_the_built_in_one_with_its_id()
    {
        File.WriteAllText(Path.Combine(_builtIn, "01-a.md"), Lesson("a", "Built-in A", 1));
        File.WriteAllText(Path.Combine(_builtIn, "02-b.md"), Lesson("b", "Built-in B", 2));
        File.WriteAllText(Path.Combine(_teacher, "a.md"), Lesson("a", "Teacher's A", 1));
        File.WriteAllText(Path.Combine(_teacher, "c.md"), Lesson("c", "Teacher's C", 3));

        using var catalog = Open();

        Assert.Equal(["Teacher's A", "Built-in B", "Teacher's C"], catalog.Lessons.Select(l => l.Info.Title));
        Assert.True(catalog.Entries.Single(e => e.Lesson?.Info.Id == "a").FromTeacher);
        Assert.Equal("b", catalog.Next("a")!.Info.Id);
        Assert.Null(catalog.Next("c"));
    }

    [Fact]
    public void A_second_lesson_with_an_id_already_used_in_its_folder_is_unavailable_and_next_never_points_to_itself()
    {
        File.WriteAllText(Path.Combine(_builtIn, "01-a.md"), Lesson("a", "Built-in A", 1));
        File.WriteAllText(Path.Combine(_builtIn, "02-a-again.md"), Lesson("a", "Built-in A again", 2));
        File.WriteAllText(Path.Combine(_teacher, "one.md"), Lesson("teacher-one", "Teacher's one", 3));
        File.WriteAllText(Path.Combine(_teacher, "two.md"), Lesson("teacher-one", "Teacher's one again", 4));

        using var catalog = Open();

        Assert.Equal(["Built-in A", "Teacher's one"], catalog.Lessons.Select(l => l.Info.Title));
        var unavailable = catalog.Entries.Where(e => e.Lesson is null).ToList();
        Assert.Equal(["02-a-again.md", "two.md"], unavailable.Select(e => e.File).Order(StringComparer.Ordinal));
        Assert.Contains("The id 'a' is already used by 01-a.md", unavailable.Single(e => e.File == "02-a-again.md").Reason, StringComparison.Ordinal);
        Assert.Contains("The id 'teacher-one' is already used by one.md", unavailable.Single(e => e.File == "two.md").Reason, StringComparison.Ordinal);
        Assert.Equal("teacher-one", catalog.Next("a")!.Info.Id);
        Assert.Null(catalog.Next("teacher-one"));
    }

    [Fact]
    public async Task A_file_dropped_changed_or_removed_in_the_teachers_folder_is_picked_up_without_a_restart()
    {
        File.WriteAllText(Path.Combine(_builtIn, "01-a.md"), Lesson("a", "Built-in A", 1));
        using var catalog = Open();
        var changed = 0;
        catalog.Changed += () => Interlocked.Increment(ref changed);

        File.WriteAllText(Path.Combine(_teacher, "new.md"), Lesson("new", "Dropped in", 2));
        await WaitUntilAsync(() => catalog.Find("new") is not null);

        File.WriteAllText(Path.Combine(_teacher, "new.md"), "---\nbroken");
        await WaitUntilAsync(() => catalog.Find("new") is null && catalog.Entries.Any(e => e.Lesson is null));
        Assert.Contains("'key: value'", catalog.Entries.Single(e => e.Lesson is null).Reason, StringComparison.Ordinal);
        Assert.NotNull(catalog.Find("a"));

        File.Delete(Path.Combine(_teacher, "new.md"));
        await WaitUntilAsync(() => catalog.Entries.Count == 1);
        Assert.True(changed >= 3);
    }

    [Fact]
    public void A_missing_teacher_folder_leaves_the_built_in_course()
    {
        File.WriteAllText(Path.Combine(_builtIn, "01-a.md"), Lesson("a", "Built-in A", 1));

        using var catalog = new LessonCatalog(
            Options.Create(new LessonOptions { BuiltInDirectory = _builtIn, Directory = Path.Combine(_teacher, "nope") }), NullLogger<LessonCatalog>.Instance);

        Assert.Equal("a", Assert.Single(catalog.Lessons).Info.Id);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the catalog did not pick up the change within 15 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
