namespace BlazorRedis.Core.Lessons;

/// <summary>Reads a folder of lesson files, refusing a file too large to be a lesson before reading it.</summary>
public static class LessonFiles
{
    /// <summary>Parses every <c>*.md</c> file of <paramref name="directory"/> (not its subfolders), in name order.</summary>
    public static IReadOnlyList<LessonParseResult> ReadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*.md", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).Select(ReadFile)];
    }

    /// <summary>Parses one file; an unreadable or oversized file is a result with the reason.</summary>
    public static LessonParseResult ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        try
        {
            var size = new FileInfo(path).Length;
            if (size > LessonParser.MaxBytes)
            {
                return new LessonParseResult(null, [new LessonDiagnostic(name, 0, $"The file is {size / 1024} KB; a lesson is at most {LessonParser.MaxBytes / 1024} KB.")], []);
            }

            return LessonParser.Parse(File.ReadAllText(path), name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new LessonParseResult(null, [new LessonDiagnostic(name, 0, $"The file cannot be read: {ex.Message}")], []);
        }
    }
}
