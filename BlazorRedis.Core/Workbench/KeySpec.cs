namespace BlazorRedis.Core.Workbench;

/// <summary>
/// One Redis 7 key specification from <c>COMMAND INFO</c>: where the search for keys begins (a fixed index, or the
/// argument after a keyword such as <c>STREAMS</c>) and how the keys are found from there (a range, or a count given
/// in an argument such as <c>numkeys</c>). A spec Redis itself calls unknown or incomplete is kept so the workbench can
/// refuse its command: it cannot prove where that command's keys are.
/// </summary>
/// <param name="Index">begin_search index: the first key's position (0 when the search is by keyword or unknown).</param>
/// <param name="Keyword">begin_search keyword, e.g. <c>STREAMS</c>; null for an index search.</param>
/// <param name="StartFrom">Where the keyword search starts: from the left when positive, from the right when negative.</param>
/// <param name="IsRange">find_keys is a range (<paramref name="LastKey"/>, <paramref name="Step"/>, <paramref name="Limit"/>).</param>
/// <param name="LastKey">The last key relative to the first (negative: counted from the end).</param>
/// <param name="Step">Positions between two keys.</param>
/// <param name="Limit">For a range to the end, the share of the remaining arguments that are keys (0 or 1: all).</param>
/// <param name="KeyNumIndex">find_keys keynum: the position of the key count, relative to the first.</param>
/// <param name="FirstKey">find_keys keynum: the first key's position, relative to the first.</param>
/// <param name="IsComplete">False when the search type is unknown or Redis marks the spec INCOMPLETE.</param>
/// <param name="Flags">The spec's flags (RO, RW, OW, RM, ACCESS, INSERT, DELETE, …).</param>
public sealed record KeySpec(
    int Index,
    string? Keyword,
    int StartFrom,
    bool IsRange,
    int LastKey,
    int Step,
    int Limit,
    int KeyNumIndex,
    int FirstKey,
    bool IsComplete,
    IReadOnlyList<string> Flags);
