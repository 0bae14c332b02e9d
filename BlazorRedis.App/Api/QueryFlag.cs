namespace BlazorRedis.App.Api;

/// <summary>
/// A query flag such as <c>?bypassCache=true</c>: exactly <c>true</c> or <c>false</c> (any case). <see cref="bool.TryParse(string?, out bool)"/>
/// also takes <c>" true "</c> and <c>"true\0"</c>; a value the client did not mean should be a 400, not a guess.
/// </summary>
/// <param name="Value">The flag.</param>
public readonly record struct QueryFlag(bool Value)
{
    /// <summary>Used by minimal-API binding; a false return answers 400.</summary>
    public static bool TryParse(string? text, IFormatProvider? provider, out QueryFlag flag)
    {
        _ = provider;
        var value = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
        flag = new QueryFlag(value);
        return value || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a client is told when the flag <paramref name="name"/> (e.g. <c>bypassCache</c>) has another value.</summary>
    public static string Describe(string name) =>
        $"The query parameter \"{name}\" must be true or false (in any case), or left out. Nothing was changed.";
}
