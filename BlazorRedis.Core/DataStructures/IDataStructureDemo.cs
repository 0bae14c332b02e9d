using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.DataStructures;

/// <summary>
/// What every data-structure demo service offers besides its own lesson: deleting one learner's keys of that demo.
/// Pages reset through this contract, so no page needs the key builder or the janitor.
/// </summary>
public interface IDataStructureDemo
{
    /// <summary>The demo's slug: its <see cref="DemoDescriptor.Slug"/> and the key area it writes under.</summary>
    string Slug { get; }

    /// <summary>Deletes this learner's keys of this demo (SCAN + DEL under the learner's area prefix), nobody else's.</summary>
    /// <returns>How many keys were deleted, with the commands that did it.</returns>
    Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default);
}
