namespace BlazorRedis.Core.Lessons;

/// <summary>A lesson file of the course: its lesson, or the reason it is unavailable.</summary>
/// <param name="File">The file's name.</param>
/// <param name="Lesson">The lesson, or null when it is unavailable.</param>
/// <param name="Reason">Why it is unavailable (file, line and problem), else null.</param>
/// <param name="FromTeacher">True when it comes from the teacher's folder (<see cref="LessonOptions.Directory"/>).</param>
public sealed record CourseEntry(string File, Lesson? Lesson, string? Reason, bool FromTeacher)
{
    /// <summary>The title to list it under: the lesson's, or the file's name.</summary>
    public string Title => Lesson?.Info.Title ?? File;
}
