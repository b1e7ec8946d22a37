using System;
using System.Collections.Generic;

namespace ModelBuild.Tasks.ExternalData;

/// <summary>
/// The length-delimited fields of one protobuf message, read straight from the wire format. The task assembly
/// runs inside MSBuild and carries no protobuf library, and it needs only a handful of ONNX fields (where a model
/// keeps external data); the CLI parses models properly.
/// </summary>
internal readonly struct ProtobufMessage(byte[] bytes, int start, int end)
{
    /// <summary>The whole buffer as one message.</summary>
    public static ProtobufMessage Of(byte[] bytes) => new(bytes, 0, bytes.Length);

    /// <summary>Every length-delimited field (sub-message, string, bytes) with its field number, in wire order.
    /// Stops quietly at the first malformed field: whatever is wrong with the file, the CLI reports it.</summary>
    public IEnumerable<(int Field, ProtobufMessage Value)> LengthDelimited()
    {
        var position = start;
        while (position < end)
        {
            if (!TryReadVarint(ref position, out var tag))
                yield break;
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    if (!TryReadVarint(ref position, out _))
                        yield break;
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    if (!TryReadVarint(ref position, out var length) || length > (ulong)(end - position))
                        yield break;
                    var valueStart = position;
                    position += (int)length;
                    yield return (field, new ProtobufMessage(bytes, valueStart, position));
                    break;
                default:
                    yield break;
            }
        }
    }

    /// <summary>The value of varint field <paramref name="number"/> (the last one, as protobuf merges), or null.</summary>
    public ulong? Varint(int number)
    {
        ulong? found = null;
        var position = start;
        while (position < end)
        {
            if (!TryReadVarint(ref position, out var tag))
                break;
            var wireType = tag & 7;
            if (wireType == 0)
            {
                if (!TryReadVarint(ref position, out var value))
                    break;
                if ((int)(tag >> 3) == number)
                    found = value;
            }
            else if (wireType == 1) position += 8;
            else if (wireType == 5) position += 4;
            else if (wireType == 2 && TryReadVarint(ref position, out var length) && length <= (ulong)(end - position)) position += (int)length;
            else break;
        }
        return found;
    }

    public string Text() => System.Text.Encoding.UTF8.GetString(bytes, start, end - start);

    private bool TryReadVarint(ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < end; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return true;
        }
        return false;
    }
}
