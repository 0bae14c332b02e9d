namespace BlazorRedis.Core.Lessons;

/// <summary>A lesson's front matter: who it is, where it sits in the course and what it needs first.</summary>
/// <param name="Id">Lowercase letters, digits and hyphens; unique in the course and used in <c>/course/{id}</c>.</param>
/// <param name="Title">The lesson's title.</param>
/// <param name="Area">The course area it belongs to (one of <see cref="LessonAreas.All"/>).</param>
/// <param name="Order">Its position in the course.</param>
/// <param name="Minutes">The estimated time to do it.</param>
/// <param name="Prerequisites">Ids of lessons to do first.</param>
public sealed record LessonInfo(string Id, string Title, string Area, int Order, int Minutes, IReadOnlyList<string> Prerequisites);
