namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// A number field of a page, for the bad-number tables: the button that uses it, what its message calls it ("The
/// <see cref="What"/> …"), the range the message must name, and the values that are wrong for it.
/// </summary>
public sealed record NumberFieldCase(string Page, string TestId, string Button, string What, string Range, params string[] Bad)
{
    /// <summary>One theory row (page, field, value) per wrong value of every field.</summary>
    public static TheoryData<string, string, string> Rows(IEnumerable<NumberFieldCase> fields)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var field in fields)
        {
            foreach (var value in field.Bad)
            {
                data.Add(field.Page, field.TestId, value);
            }
        }

        return data;
    }

    /// <summary>The field of <paramref name="fields"/> that a row names.</summary>
    public static NumberFieldCase Of(IEnumerable<NumberFieldCase> fields, string page, string testId) =>
        fields.Single(f => f.Page == page && f.TestId == testId);
}
