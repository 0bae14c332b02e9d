using BlazorRedis.Core.DataStructures;

namespace BlazorRedis.Core.Hashes;

/// <summary>Registers the hashes demo.</summary>
public sealed class HashesDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "hashes",
        "Hashes",
        "A user profile",
        "One key holding many fields, like a small object.",
        3,
        "table_rows");
}
