using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Lessons;

/// <summary>Where lessons come from and how long progress is kept (configuration section <c>Lessons</c>).</summary>
public sealed class LessonOptions
{
    public const string SectionName = "Lessons";

    /// <summary>The built-in course, relative to the app's folder unless rooted.</summary>
    [Required]
    public string BuiltInDirectory { get; set; } = "Lessons";

    /// <summary>The full path of <see cref="BuiltInDirectory"/>: rooted as given, else under the app's folder.</summary>
    public string BuiltInPath => Path.GetFullPath(BuiltInDirectory, AppContext.BaseDirectory);

    /// <summary>A teacher's folder of lessons that add to or replace (same id) the built-in ones; watched for changes. Empty: none.</summary>
    public string? Directory { get; set; }

    /// <summary>How long a learner's progress is kept after their last step, in days.</summary>
    [Range(1, 3650)]
    public int ProgressDays { get; set; } = 90;
}
