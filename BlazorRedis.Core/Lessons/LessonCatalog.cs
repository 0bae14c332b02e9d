using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// The course as the app serves it: the built-in lessons, plus the teacher's folder (<see cref="LessonOptions.Directory"/>),
/// whose lessons add to the course or replace a built-in lesson with the same id. The teacher's folder is watched: a file
/// dropped, changed or removed is picked up without a restart. A file with an error, or a second file in the same folder
/// with an id already used there (the first in name order keeps it), is listed as unavailable, with the reason; it never
/// takes the rest of the course down.
/// </summary>
public sealed class LessonCatalog : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private readonly string _builtIn;
    private readonly string? _teacher;
    private readonly ILogger<LessonCatalog> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _reload;
    private IReadOnlyList<CourseEntry> _entries = [];

    public LessonCatalog(IOptions<LessonOptions> options, ILogger<LessonCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _builtIn = options.Value.BuiltInPath;
        _teacher = string.IsNullOrWhiteSpace(options.Value.Directory) ? null : Path.GetFullPath(options.Value.Directory, Environment.CurrentDirectory);
        _reload = new Timer(_ => ReloadQuietly(), null, Timeout.Infinite, Timeout.Infinite);
        Reload();
        if (_teacher is not null && System.IO.Directory.Exists(_teacher))
        {
            _watcher = new FileSystemWatcher(_teacher, "*.md") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Changed += (_, _) => ScheduleReload();
            _watcher.Created += (_, _) => ScheduleReload();
            _watcher.Deleted += (_, _) => ScheduleReload();
            _watcher.Renamed += (_, _) => ScheduleReload();
            _watcher.EnableRaisingEvents = true;
        }
        else if (_teacher is not null)
        {
            _logger.LogWarning("Lessons:Directory {Directory} does not exist; only the built-in course is served", _teacher);
        }
    }

    /// <summary>Raised after the course was read again (a teacher's file changed).</summary>
    public event Action? Changed;

    /// <summary>Every lesson file, available or not, in course order (area, then order; unavailable ones last).</summary>
    public IReadOnlyList<CourseEntry> Entries => Volatile.Read(ref _entries);

    /// <summary>The available lessons, in course order.</summary>
    public IEnumerable<Lesson> Lessons => Entries.Where(e => e.Lesson is not null).Select(e => e.Lesson!);

    /// <summary>The lesson with this id, or null.</summary>
    public Lesson? Find(string? id) => id is null ? null : Lessons.FirstOrDefault(l => l.Info.Id == id);

    /// <summary>The lesson after <paramref name="id"/> in course order, or null.</summary>
    public Lesson? Next(string id) => Lessons.SkipWhile(l => l.Info.Id != id).Skip(1).FirstOrDefault();

    /// <summary>Reads both folders again now.</summary>
    public void Reload()
    {
        var builtIn = WithUniqueIds(LessonFiles.ReadDirectory(_builtIn)).Select(r => (Result: r, FromTeacher: false));
        var teacher = _teacher is null ? [] : WithUniqueIds(LessonFiles.ReadDirectory(_teacher)).Select(r => (Result: r, FromTeacher: true)).ToList();
        var replaced = teacher.Where(t => t.Result.Lesson is not null).Select(t => t.Result.Lesson!.Info.Id).ToHashSet(StringComparer.Ordinal);
        var all = builtIn.Where(b => b.Result.Lesson is null || !replaced.Contains(b.Result.Lesson.Info.Id)).Concat(teacher).ToList();
        var entries = all
            .Select(x => new CourseEntry(x.Result.Lesson?.Source ?? (x.Result.Problems.Count > 0 ? x.Result.Problems[0].File : "?"), x.Result.Lesson, x.Result.Lesson is null ? x.Result.Reason : null, x.FromTeacher))
            .OrderBy(e => e.Lesson is null ? int.MaxValue : AreaIndex(e.Lesson.Info.Area))
            .ThenBy(e => e.Lesson?.Info.Order ?? 0)
            .ThenBy(e => e.File, StringComparer.Ordinal)
            .ToList();
        foreach (var bad in entries.Where(e => e.Lesson is null))
        {
            _logger.LogWarning("Lesson {File} is unavailable: {Reason}", bad.File, bad.Reason);
        }

        Volatile.Write(ref _entries, entries);
        Changed?.Invoke();
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reload.Dispose();
    }

    // Within one folder an id names one lesson: the first file (in name order) keeps it, a later one is unavailable, so
    // no two cards lead to the same address and Next never leads a lesson to itself.
    private static List<LessonParseResult> WithUniqueIds(IReadOnlyList<LessonParseResult> results)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var unique = new List<LessonParseResult>(results.Count);
        foreach (var result in results)
        {
            if (result.Lesson is { } lesson && !owners.TryAdd(lesson.Info.Id, lesson.Source))
            {
                var problem = new LessonDiagnostic(lesson.Source, 0, $"The id '{lesson.Info.Id}' is already used by {owners[lesson.Info.Id]}; give this lesson its own id.");
                unique.Add(new LessonParseResult(null, [.. result.Problems, problem], result.Links));
                continue;
            }

            unique.Add(result);
        }

        return unique;
    }

    private static int AreaIndex(string area)
    {
        var i = LessonAreas.All.ToList().IndexOf(area);
        return i < 0 ? int.MaxValue - 1 : i;
    }

    private void ReloadQuietly()
    {
        try
        {
            Reload();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder went away or is being replaced: keep serving the course as it was.
            _logger.LogWarning(ex, "The lessons folder could not be read again; the course stays as it was");
        }
    }

    // Editors write a file in several steps; read once they have settled.
    private void ScheduleReload() => _reload.Change(Settle, Timeout.InfiniteTimeSpan);
}
