using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Sets;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.App.Components.Pages.DataStructures.Sets;

/// <summary>The sets demo: tags on two posts and the set algebra between them, drawn as a Venn diagram.</summary>
public partial class SetsDemo
{
    private string _tags = "redis, caching";
    private string _tag = "redis";
    private string? _memberNote;
    private TagsState _state = TagsState.Empty;
    private TagComparisonResult? _comparison;

    protected override async Task OnInitializedAsync() => await RunAsync(async () =>
    {
        var read = await Sets.ReadAsync(LearnerId);
        _state = read.Value;
        return read.Trace;
    }, learnerAction: false);

    /// <summary>Splits "a, b ,c" into tags; empty pieces are dropped (an empty whole is refused by Core).</summary>
    public static IReadOnlyList<string> SplitTags(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private Task AddAsync(Post post) => ActAsync(() => AddTagsAsync(post, SplitTags(_tags)));

    private async Task<OperationTrace> AddTagsAsync(Post post, IReadOnlyList<string> tags)
    {
        var added = await Sets.AddTagsAsync(LearnerId, post, tags);
        _state = added.Value;
        _comparison = null;
        _memberNote = null; // the tags changed, so an earlier SISMEMBER answer may no longer hold
        return added.Trace;
    }

    private Task RemoveAsync(Post post) => ActAsync(async () =>
    {
        var removed = await Sets.RemoveTagAsync(LearnerId, post, _tag);
        _state = removed.Value;
        _comparison = null;
        _memberNote = null;
        return removed.Trace;
    });

    private Task HasAsync(Post post) => ActAsync(() => CheckAsync(post, _tag));

    private async Task<OperationTrace> CheckAsync(Post post, string tag)
    {
        var has = await Sets.HasTagAsync(LearnerId, post, tag);
        _memberNote = $"SISMEMBER post {(int)post} \"{tag.Trim()}\" → {(has.Value ? "1: yes, the post has that tag" : "0: no such tag on that post")}";
        return has.Trace;
    }

    private Task CompareAsync(TagComparison comparison) => ActAsync(() => CompareTagsAsync(comparison));

    private async Task<OperationTrace> CompareTagsAsync(TagComparison comparison)
    {
        var result = await Sets.CompareAsync(LearnerId, comparison);
        _comparison = result.Value;
        _state = result.Value.Posts;
        return result.Trace;
    }

    /// <inheritdoc/>
    protected override IDataStructureDemo Service => Sets;

    /// <inheritdoc/>
    protected override void ClearPicture()
    {
        _state = TagsState.Empty;
        _comparison = null;
        _memberNote = null;
    }

    private Task RunStoryAsync() => RunScenarioAsync(
        "tags on two posts",
        "Done: SINTER found the related tags, SDIFF what only post 1 covers, SUNION every tag, each in one command inside Redis.",
        new ScenarioStep("Post 1, \"Caching with Redis\", gets its tags with one SADD.", () => AddTagsAsync(Post.First, ["redis", "caching", "performance", "python"])),
        new ScenarioStep("Post 2, \"Redis data structures\", gets its tags; adding \"redis\" twice is ignored.", () => AddTagsAsync(Post.Second, ["redis", "data-structures", "python", "tutorial", "redis"])),
        new ScenarioStep("SISMEMBER asks whether post 1 is tagged \"caching\", in O(1).", () => CheckAsync(Post.First, "caching")),
        new ScenarioStep("SINTER: the tags both posts share, a hint that they are related.", () => CompareTagsAsync(TagComparison.Intersection)),
        new ScenarioStep("SDIFF: what post 1 covers that post 2 does not.", () => CompareTagsAsync(TagComparison.Difference)),
        new ScenarioStep("SUNION: every tag used by either post, each once.", () => CompareTagsAsync(TagComparison.Union)));
}
