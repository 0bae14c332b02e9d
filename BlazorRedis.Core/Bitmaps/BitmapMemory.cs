namespace BlazorRedis.Core.Bitmaps;

/// <summary>The measured cost of a bitmap for one million users.</summary>
/// <param name="ExpectedBytes">1,000,000 bits / 8 = 125,000 bytes.</param>
/// <param name="StringLength">STRLEN after SETBIT at offset 999,999.</param>
/// <param name="MemoryUsage">MEMORY USAGE as Redis reports it (value plus key and object overhead), or null if the server refused.</param>
public sealed record BitmapMemory(long ExpectedBytes, long StringLength, long? MemoryUsage);
