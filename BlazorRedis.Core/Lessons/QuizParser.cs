namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Reads a <c>```quiz</c> block: a <c>question:</c> line, then two to six options written
/// <c>- [x] text -- why</c> (right) or <c>- [ ] text -- why</c> (wrong).
/// </summary>
public static class QuizParser
{
    /// <summary>The most options a question may have.</summary>
    public const int MaxOptions = 6;

    /// <summary>Parses the block's lines; <paramref name="firstLine"/> is the file line of the first of them.</summary>
    /// <exception cref="LessonFormatException">The block does not follow the quiz format.</exception>
    public static Quiz Parse(IReadOnlyList<string> lines, int firstLine)
    {
        ArgumentNullException.ThrowIfNull(lines);
        string? question = null;
        var options = new List<QuizOption>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            var at = firstLine + i;
            if (line.Length == 0)
            {
                continue;
            }

            if (question is null)
            {
                if (!line.StartsWith("question:", StringComparison.Ordinal) || line.Length == "question:".Length)
                {
                    throw new LessonFormatException("A quiz starts with a line 'question: …'.", at);
                }

                question = line["question:".Length..].Trim();
                continue;
            }

            options.Add(ParseOption(line, at));
        }

        if (question is null)
        {
            throw new LessonFormatException("The quiz is empty: write 'question: …' and its options.", firstLine - 1);
        }

        if (options.Count is < 2 or > MaxOptions)
        {
            throw new LessonFormatException($"A quiz needs 2 to {MaxOptions} options; this one has {options.Count}.", firstLine);
        }

        if (!options.Any(o => o.Correct))
        {
            throw new LessonFormatException("The quiz has no right answer: mark at least one option [x].", firstLine);
        }

        return new Quiz(question, options);
    }

    /// <summary>Parses one option line, <paramref name="at"/> its file line.</summary>
    /// <exception cref="LessonFormatException">The line is not an option.</exception>
    internal static QuizOption ParseOption(string line, int at)
    {
        bool correct;
        if (line.StartsWith("- [x] ", StringComparison.OrdinalIgnoreCase))
        {
            correct = true;
        }
        else if (line.StartsWith("- [ ] ", StringComparison.Ordinal))
        {
            correct = false;
        }
        else
        {
            throw new LessonFormatException("A quiz option is written '- [x] right answer -- why' or '- [ ] wrong answer -- why'.", at);
        }

        var rest = line[6..];
        var split = rest.IndexOf(" -- ", StringComparison.Ordinal);
        if (split <= 0 || split + 4 >= rest.Length)
        {
            throw new LessonFormatException("Every quiz option explains itself after ' -- '.", at);
        }

        return new QuizOption(rest[..split].Trim(), correct, rest[(split + 4)..].Trim());
    }
}
