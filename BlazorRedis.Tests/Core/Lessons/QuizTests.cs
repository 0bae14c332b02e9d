using BlazorRedis.Core;
using BlazorRedis.Core.Lessons;

namespace BlazorRedis.Tests.Core.Lessons;

public class QuizTests
{
    private static Quiz Parse(params string[] lines) => QuizParser.Parse(lines, 10);

    private static readonly string[] Single =
    [
        "question: Which command gives a key a time to live in seconds?",
        "- [x] EXPIRE -- Right: EXPIRE key seconds sets it.",
        "- [ ] TTL -- TTL only reads the time left.",
        "- [ ] PERSIST -- PERSIST removes a TTL.",
    ];

    [Fact]
    public void A_single_choice_question_is_right_only_with_its_right_option()
    {
        var quiz = Parse(Single);

        Assert.Equal("Which command gives a key a time to live in seconds?", quiz.Question);
        Assert.False(quiz.MultipleChoice);
        Assert.Equal("TTL only reads the time left.", quiz.Options[1].Explanation);
        Assert.True(quiz.Grade([0]).Correct);
        var wrong = quiz.Grade([1]);
        Assert.False(wrong.Correct);
        Assert.Equal([0], wrong.Right);
        Assert.Equal([1], wrong.Chosen);
    }

    [Fact]
    public void A_multiple_choice_question_needs_every_right_option_and_no_wrong_one()
    {
        var quiz = Parse(
            "question: Which are Redis data types?",
            "- [x] Hash -- Yes.",
            "- [x] Stream -- Yes.",
            "- [ ] Table -- Redis has no tables.");

        Assert.True(quiz.MultipleChoice);
        Assert.True(quiz.Grade([1, 0]).Correct);
        Assert.False(quiz.Grade([0]).Correct);
        Assert.False(quiz.Grade([0, 1, 2]).Correct);
    }

    [Fact]
    public void Answers_that_cannot_be_graded_are_refused_with_a_message()
    {
        var quiz = Parse(Single);

        Assert.Contains("Choose an answer", Assert.Throws<LearnerInputException>(() => quiz.Grade([])).Message, StringComparison.Ordinal);
        Assert.Contains("options 1 to 3", Assert.Throws<LearnerInputException>(() => quiz.Grade([3])).Message, StringComparison.Ordinal);
        Assert.Contains("choose one option", Assert.Throws<LearnerInputException>(() => quiz.Grade([0, 1])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no right answer", "question: Q?", "- [ ] a -- no", "- [ ] b -- no")]
    [InlineData("2 to 6 options", "question: Q?", "- [x] a -- yes")]
    [InlineData("starts with a line 'question:", "- [x] a -- yes", "- [ ] b -- no")]
    [InlineData("explains itself", "question: Q?", "- [x] a", "- [ ] b -- no")]
    [InlineData("is written '- [x]", "question: Q?", "* a -- yes", "- [ ] b -- no")]
    public void Malformed_quizzes_are_refused_with_the_reason(string expected, params string[] lines)
    {
        var ex = Assert.Throws<LessonFormatException>(() => Parse(lines));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Line >= 9);
    }
}
