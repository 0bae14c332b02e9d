using System.Buffers.Binary;
using System.Text;

namespace BlazorRedis.Bench;

/// <summary>A DOM event handler a render batch attached: its id, the event (click, change, input) and the element it is on.</summary>
/// <param name="Id">The event handler id the server assigned.</param>
/// <param name="EventName">The event without "on": click, change, input.</param>
/// <param name="Element">The element's tag (button, input, …), or null when the batch set the attribute alone.</param>
/// <param name="InputType">The element's type attribute (checkbox, number, text, …), if any.</param>
/// <param name="TestId">The element's data-testid, if any.</param>
internal sealed record RenderedHandler(ulong Id, string EventName, string? Element, string? InputType, string? TestId);

/// <summary>
/// The live event handlers of one circuit, kept from its render batches the way blazor.web.js reads them
/// (OutOfProcessRenderBatch): the batch ends with five little-endian int32 offsets — updated components, reference frames,
/// disposed component ids, disposed event handler ids, string table. Reference frames are 20 bytes (type, then 16 bytes):
/// an element (1) has its subtree length at +4 and its name at +8; an attribute (3) its name at +4, its value at +8 and its
/// event handler id (int64) at +12. Strings are indexes into the table, whose entries point at 7-bit-length-prefixed UTF-8.
/// The attributes that follow an element frame belong to it; an attribute set alone (a changed lambda handler) inherits
/// the element of the handler with the same event that the batch disposed, when there is exactly one.
/// </summary>
internal sealed class RenderedHandlers
{
    private const int ElementFrame = 1;
    private const int AttributeFrame = 3;
    private readonly Dictionary<ulong, RenderedHandler> _live = [];
    private readonly HashSet<ulong> _disposed = []; // ids are never reused in a circuit: a disposal seen first wins over a late add
    private readonly Lock _lock = new();

    public IReadOnlyList<RenderedHandler> Live()
    {
        lock (_lock)
        {
            return [.. _live.Values];
        }
    }

    public void Apply(byte[] batch)
    {
        if (batch.Length < 20)
        {
            return;
        }

        int Int(int at) => BinaryPrimitives.ReadInt32LittleEndian(batch.AsSpan(at));
        var referenceFrames = Int(batch.Length - 16);
        var disposedHandlers = Int(batch.Length - 8);
        var stringTable = Int(batch.Length - 4);
        string? Str(int index)
        {
            if (index < 0)
            {
                return null;
            }

            var at = BinaryPrimitives.ReadInt32LittleEndian(batch.AsSpan(stringTable + (4 * index)));
            int length = 0, shift = 0;
            while (true)
            {
                var b = batch[at++];
                length |= (b & 0x7f) << shift;
                if (b < 0x80)
                {
                    break;
                }

                shift += 7;
            }

            return Encoding.UTF8.GetString(batch, at, length);
        }

        var added = new List<(ulong Id, string Event, Dictionary<string, string?>? Attributes)>();
        Dictionary<string, string?>? current = null; // the attributes of the element whose attribute frames are being read
        var count = Int(referenceFrames);
        for (var i = 0; i < count; i++)
        {
            var at = referenceFrames + 4 + (20 * i);
            switch (Int(at))
            {
                case ElementFrame:
                    current = new Dictionary<string, string?>(StringComparer.Ordinal) { ["__tag"] = Str(Int(at + 8)) };
                    break;
                case AttributeFrame:
                    var name = Str(Int(at + 4)) ?? "";
                    var handlerId = BinaryPrimitives.ReadUInt64LittleEndian(batch.AsSpan(at + 12));
                    if (handlerId != 0 && name.StartsWith("on", StringComparison.Ordinal))
                    {
                        added.Add((handlerId, name[2..], current));
                    }
                    else
                    {
                        current?.TryAdd(name, Str(Int(at + 8)));
                    }

                    break;
                default:
                    current = null;
                    break;
            }
        }

        lock (_lock)
        {
            var disposed = new List<RenderedHandler>();
            var disposedCount = Int(disposedHandlers);
            for (var i = 0; i < disposedCount; i++)
            {
                var id = BinaryPrimitives.ReadUInt64LittleEndian(batch.AsSpan(disposedHandlers + 4 + (8 * i)));
                _disposed.Add(id);
                if (_live.Remove(id, out var gone))
                {
                    disposed.Add(gone);
                }
            }

            foreach (var (id, eventName, attributes) in added.Where(a => !_disposed.Contains(a.Id)))
            {
                RenderedHandler handler;
                if (attributes is null)
                {
                    var same = disposed.Where(d => d.EventName == eventName).ToList();
                    handler = same.Count == 1 ? same[0] with { Id = id } : new RenderedHandler(id, eventName, null, null, null);
                }
                else
                {
                    handler = new RenderedHandler(id, eventName, attributes["__tag"], attributes.GetValueOrDefault("type"), attributes.GetValueOrDefault("data-testid"));
                }

                _live[id] = handler;
            }
        }
    }
}
