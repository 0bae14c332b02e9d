namespace BlazorRedis.Core.Lessons;

/// <summary>A question with two to six options; with more than one right option the learner picks every right one.</summary>
public sealed record Quiz(string Question, IReadOnlyList<QuizOption> Options)
{
    /// <summary>True when more than one option is right (check boxes rather than radio buttons).</summary>
    public bool MultipleChoice => Options.Count(o => o.Correct) > 1;

    /// <summary>Grades a set of chosen option indexes: right only when exactly the right options were chosen.</summary>
    /// <exception cref="LearnerInputException">No option chosen, an index out of range, or several for a single-choice question.</exception>
    public QuizGrade Grade(IReadOnlyCollection<int> chosen)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        if (chosen.Count == 0)
        {
            throw new LearnerInputException("Choose an answer first.");
        }

        if (chosen.Any(i => i < 0 || i >= Options.Count))
        {
            throw new LearnerInputException($"This question has options 1 to {Options.Count}.");
        }

        var picked = chosen.Distinct().Order().ToArray();
        if (!MultipleChoice && picked.Length > 1)
        {
            throw new LearnerInputException("This question has one right answer: choose one option.");
        }

        var right = Enumerable.Range(0, Options.Count).Where(i => Options[i].Correct).ToArray();
        return new QuizGrade(picked.SequenceEqual(right), picked, right);
    }
}
