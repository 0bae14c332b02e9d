namespace BlazorRedis.Tests.Infrastructure;

/// <summary>Rendered text as a reader sees it: markup line breaks and indentation collapse to single spaces.</summary>
internal static class RenderedText
{
    /// <summary><paramref name="text"/> with every run of whitespace made one space, and none at either end.</summary>
    public static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
