namespace BlazorRedis.Core.Sets;

/// <summary>The reply of SINTER / SDIFF / SUNION and both posts' tags.</summary>
public sealed record TagComparisonResult(TagComparison Comparison, string Command, IReadOnlyList<string> Tags, TagsState Posts);
