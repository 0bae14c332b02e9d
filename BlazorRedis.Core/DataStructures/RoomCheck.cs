using StackExchange.Redis;

namespace BlazorRedis.Core.DataStructures;

/// <summary>What a capped write's check saw: how many members the write adds, and which written members the key already held.</summary>
/// <param name="Adding">Members the write adds (all it writes, unless some are already there).</param>
/// <param name="Held">Written members the key already held (they must still be there when the write is applied).</param>
public sealed record RoomCheck(long Adding, IReadOnlyList<RedisValue> Held);
