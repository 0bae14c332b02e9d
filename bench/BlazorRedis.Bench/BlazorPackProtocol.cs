using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace BlazorRedis.Bench;

/// <summary>
/// The client side of "blazorpack", the only hub protocol the Blazor Server hub (/_blazor) accepts (it refuses "json").
/// It is SignalR's MessagePack hub protocol: each message is a MessagePack array behind a 7-bit varint length prefix —
/// Invocation [1, headers, id, target, args(, streamIds)], Completion [3, headers, id, kind(1 error, 2 void, 3 result)(, value)],
/// CancelInvocation [5, headers, id], Ping [6], Close [7, error(, allowReconnect)]. This is a small hand-written codec for
/// the values the hub and this driver exchange (nil, bool, integers, floats, strings, binary, arrays, maps), so the bench
/// needs no MessagePack package. A call it cannot bind is reported through <paramref name="bindingFailed"/>.
/// </summary>
internal sealed class BlazorPackProtocol(Action<string>? bindingFailed = null) : IHubProtocol
{
    public string Name => "blazorpack";

    public int Version => 2;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => version <= Version;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        message = null;
        if (!TryReadLength(input, out var length, out var prefix) || input.Length < prefix + length)
        {
            return false;
        }

        var payload = input.Slice(prefix, length).ToArray();
        input = input.Slice(prefix + length);
        message = Parse(new Reader(payload), binder);
        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        var body = new ArrayBufferWriter<byte>();
        var w = new Writer(body);
        switch (message)
        {
            case InvocationMessage m:
                w.ArrayHeader(5);
                w.Value(1);
                w.MapHeader(0);
                w.Value(m.InvocationId);
                w.Value(m.Target);
                w.ArrayHeader(m.Arguments.Length);
                foreach (var arg in m.Arguments)
                {
                    w.Value(arg);
                }

                break;
            case CancelInvocationMessage m:
                w.ArrayHeader(3);
                w.Value(5);
                w.MapHeader(0);
                w.Value(m.InvocationId);
                break;
            case PingMessage:
                w.ArrayHeader(1);
                w.Value(6);
                break;
            case CloseMessage m:
                w.ArrayHeader(3);
                w.Value(7);
                w.Value(m.Error);
                w.Value(m.AllowReconnect);
                break;
            default:
                throw new NotSupportedException($"The bench's blazorpack client does not send {message.GetType().Name}.");
        }

        var length = body.WrittenCount;
        Span<byte> prefix = stackalloc byte[5];
        var n = 0;
        do
        {
            var b = (byte)(length & 0x7f);
            length >>= 7;
            prefix[n++] = length > 0 ? (byte)(b | 0x80) : b;
        }
        while (length > 0);

        output.Write(prefix[..n]);
        output.Write(body.WrittenSpan);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteMessage(message, buffer);
        return buffer.WrittenMemory;
    }

    private static bool TryReadLength(ReadOnlySequence<byte> input, out int length, out int prefix)
    {
        length = 0;
        prefix = 0;
        foreach (var segment in input)
        {
            foreach (var b in segment.Span)
            {
                length |= (b & 0x7f) << (7 * prefix);
                prefix++;
                if ((b & 0x80) == 0)
                {
                    return true;
                }

                if (prefix == 5)
                {
                    throw new InvalidDataException("Message length prefix is longer than 5 bytes.");
                }
            }
        }

        return false;
    }

    private HubMessage Parse(Reader r, IInvocationBinder binder)
    {
        var count = r.ArrayHeader();
        var type = Convert.ToInt32(r.Value(), CultureInfo.InvariantCulture);
        switch (type)
        {
            case 1:
                {
                    var headers = r.Headers();
                    var id = (string?)r.Value();
                    var target = (string)r.Value()!;
                    var raw = (object?[])r.Value()!;
                    HubInvocationMessage result;
                    try
                    {
                        var types = binder.GetParameterTypes(target);
                        if (types.Count != raw.Length)
                        {
                            throw new InvalidDataException($"'{target}' has {raw.Length} arguments; the handler takes {types.Count}.");
                        }

                        result = new InvocationMessage(id, target, [.. raw.Select((v, i) => Bind(v, types[i]))]);
                    }
                    catch (Exception ex) when (ex is InvalidDataException or InvalidCastException or FormatException or OverflowException)
                    {
                        bindingFailed?.Invoke($"{target}: {ex.Message}");
                        result = new InvocationBindingFailureMessage(id, target, ExceptionDispatchInfo.Capture(ex));
                    }

                    result.Headers = headers;
                    return result;
                }

            case 3:
                {
                    var headers = r.Headers();
                    var id = (string)r.Value()!;
                    var kind = Convert.ToInt32(r.Value(), CultureInfo.InvariantCulture);
                    CompletionMessage completion = kind switch
                    {
                        1 => CompletionMessage.WithError(id, (string?)r.Value()),
                        2 => CompletionMessage.Empty(id),
                        _ => CompletionMessage.WithResult(id, Bind(r.Value(), binder.GetReturnType(id))),
                    };
                    completion.Headers = headers;
                    return completion;
                }

            case 6:
                return PingMessage.Instance;
            case 7:
                {
                    var error = (string?)r.Value();
                    var allowReconnect = count > 2 && r.Value() is true;
                    return new CloseMessage(error, allowReconnect);
                }

            default:
                throw new InvalidDataException($"Hub message type {type} is not one this driver asks for (no streams, no stateful reconnect).");
        }
    }

    private static object? Bind(object? value, Type type)
    {
        if (value is null || type == typeof(object) || type.IsInstanceOfType(value))
        {
            return value;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        return Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>Reads MessagePack values: integers as long (ulong above long.MaxValue), strings, byte[], object?[] and maps.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _pos;

        public int ArrayHeader()
        {
            var b = data[_pos++];
            return b switch
            {
                >= 0x90 and <= 0x9f => b & 0x0f,
                0xdc => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
                0xdd => checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                _ => throw new InvalidDataException($"Expected a MessagePack array, got 0x{b:x2}."),
            };
        }

        public Dictionary<string, string>? Headers()
        {
            var map = (Dictionary<object, object?>)Value()!;
            return map.Count == 0 ? null : map.ToDictionary(kv => kv.Key.ToString()!, kv => kv.Value?.ToString() ?? "");
        }

        public object? Value()
        {
            var b = data[_pos++];
            switch (b)
            {
                case <= 0x7f:
                    return (long)b;
                case >= 0xe0:
                    return (long)(sbyte)b;
                case >= 0x80 and <= 0x8f:
                    return Map(b & 0x0f);
                case >= 0x90 and <= 0x9f:
                    return Array(b & 0x0f);
                case >= 0xa0 and <= 0xbf:
                    return Str(b & 0x1f);
                case 0xc0:
                    return null;
                case 0xc2:
                    return false;
                case 0xc3:
                    return true;
                case 0xc4:
                    return Take(Take(1)[0]).ToArray();
                case 0xc5:
                    return Take(BinaryPrimitives.ReadUInt16BigEndian(Take(2))).ToArray();
                case 0xc6:
                    return Take(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))).ToArray();
                case 0xc7:
                    return Ext(Take(1)[0]);
                case 0xc8:
                    return Ext(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xc9:
                    return Ext(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
                case 0xca:
                    return (double)BinaryPrimitives.ReadSingleBigEndian(Take(4));
                case 0xcb:
                    return BinaryPrimitives.ReadDoubleBigEndian(Take(8));
                case 0xcc:
                    return (long)Take(1)[0];
                case 0xcd:
                    return (long)BinaryPrimitives.ReadUInt16BigEndian(Take(2));
                case 0xce:
                    return (long)BinaryPrimitives.ReadUInt32BigEndian(Take(4));
                case 0xcf:
                    var u = BinaryPrimitives.ReadUInt64BigEndian(Take(8));
                    return u <= long.MaxValue ? (long)u : u;
                case 0xd0:
                    return (long)(sbyte)Take(1)[0];
                case 0xd1:
                    return (long)BinaryPrimitives.ReadInt16BigEndian(Take(2));
                case 0xd2:
                    return (long)BinaryPrimitives.ReadInt32BigEndian(Take(4));
                case 0xd3:
                    return BinaryPrimitives.ReadInt64BigEndian(Take(8));
                case >= 0xd4 and <= 0xd8:
                    return Ext(1 << (b - 0xd4));
                case 0xd9:
                    return Str(Take(1)[0]);
                case 0xda:
                    return Str(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xdb:
                    return Str(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
                case 0xdc:
                    return Array(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xdd:
                    return Array(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
                case 0xde:
                    return Map(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xdf:
                    return Map(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
                default:
                    throw new InvalidDataException($"Unknown MessagePack type byte 0x{b:x2}.");
            }
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            if (_pos + n > data.Length)
            {
                throw new InvalidDataException("MessagePack value runs past the end of the message.");
            }

            var span = data.AsSpan(_pos, n);
            _pos += n;
            return span;
        }

        private string Str(int n) => Encoding.UTF8.GetString(Take(n));

        private byte[] Ext(int n)
        {
            _pos++; // the extension's type code: nothing the hub sends to this driver needs one
            return Take(n).ToArray();
        }

        private object?[] Array(int n)
        {
            var items = new object?[n];
            for (var i = 0; i < n; i++)
            {
                items[i] = Value();
            }

            return items;
        }

        private Dictionary<object, object?> Map(int n)
        {
            var map = new Dictionary<object, object?>(n);
            for (var i = 0; i < n; i++)
            {
                map[Value() ?? ""] = Value();
            }

            return map;
        }
    }

    /// <summary>Writes the few MessagePack values the client sends: nil, bool, integers, strings, arrays and empty maps.</summary>
    private sealed class Writer(IBufferWriter<byte> output)
    {
        public void ArrayHeader(int n)
        {
            if (n < 16)
            {
                Byte((byte)(0x90 | n));
            }
            else
            {
                Byte(0xdd);
                BinaryPrimitives.WriteUInt32BigEndian(Span(4), (uint)n);
            }
        }

        public void MapHeader(int n)
        {
            if (n >= 16)
            {
                throw new NotSupportedException("Only small maps are written.");
            }

            Byte((byte)(0x80 | n));
        }

        public void Value(object? value)
        {
            switch (value)
            {
                case null:
                    Byte(0xc0);
                    break;
                case bool b:
                    Byte(b ? (byte)0xc3 : (byte)0xc2);
                    break;
                case string s:
                    var bytes = Encoding.UTF8.GetBytes(s);
                    if (bytes.Length < 32)
                    {
                        Byte((byte)(0xa0 | bytes.Length));
                    }
                    else
                    {
                        Byte(0xdb);
                        BinaryPrimitives.WriteUInt32BigEndian(Span(4), (uint)bytes.Length);
                    }

                    output.Write(bytes);
                    break;
                case int or long or short or byte or sbyte or ushort or uint:
                    var l = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    if (l is >= 0 and <= 0x7f)
                    {
                        Byte((byte)l);
                    }
                    else
                    {
                        Byte(0xd3);
                        BinaryPrimitives.WriteInt64BigEndian(Span(8), l);
                    }

                    break;
                case object?[] items:
                    ArrayHeader(items.Length);
                    foreach (var item in items)
                    {
                        Value(item);
                    }

                    break;
                default:
                    throw new NotSupportedException($"The bench's blazorpack client cannot send a {value.GetType().Name}.");
            }
        }

        private void Byte(byte b)
        {
            Span(1)[0] = b;
        }

        private Span<byte> Span(int n)
        {
            var span = output.GetSpan(n)[..n];
            output.Advance(n);
            return span;
        }
    }
}
