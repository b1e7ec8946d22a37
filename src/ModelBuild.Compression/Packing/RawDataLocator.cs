namespace ModelBuild.Compression.Packing;

/// <summary>Where a tensor's <c>raw_data</c> payload lies in a serialized ONNX model, and its element size in bytes.</summary>
internal readonly record struct RawDataSpan(int Offset, int Length, int ElementSize);

/// <summary>
/// Finds the <c>raw_data</c> payloads of the tensors in serialized ONNX bytes by walking the protobuf wire format
/// along the paths where weights live: graph initializers (and sparse ones), and tensor attributes of nodes
/// (<c>Constant</c>'s value), in subgraphs too. Working on the bytes, not the parsed model, gives the exact offsets
/// the container cuts the payloads out at.
/// </summary>
internal static class RawDataLocator
{
    private enum Kind { Model, Graph, Node, Attribute, Tensor, SparseTensor }

    public static IReadOnlyList<RawDataSpan> Find(byte[] model)
    {
        var found = new List<RawDataSpan>();
        Walk(model, 0, model.Length, Kind.Model, found);
        found.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return found;
    }

    // Field numbers from onnx.proto: ModelProto.graph 7; GraphProto.node 1, initializer 5, sparse_initializer 15;
    // NodeProto.attribute 5; AttributeProto.t 5, g 6, tensors 10, graphs 11, sparse_tensor 22, sparse_tensors 23;
    // SparseTensorProto.values 1, indices 2.
    private static Kind? Child(Kind parent, int field) => (parent, field) switch
    {
        (Kind.Model, 7) => Kind.Graph,
        (Kind.Graph, 1) => Kind.Node,
        (Kind.Graph, 5) => Kind.Tensor,
        (Kind.Graph, 15) => Kind.SparseTensor,
        (Kind.Node, 5) => Kind.Attribute,
        (Kind.Attribute, 5 or 10) => Kind.Tensor,
        (Kind.Attribute, 6 or 11) => Kind.Graph,
        (Kind.Attribute, 22 or 23) => Kind.SparseTensor,
        (Kind.SparseTensor, 1 or 2) => Kind.Tensor,
        _ => null,
    };

    private static void Walk(byte[] bytes, int start, int end, Kind kind, List<RawDataSpan> found)
    {
        var position = start;
        var dataType = 0L;
        RawDataSpan? rawData = null;
        while (position < end)
        {
            var key = ReadVarint(bytes, ref position, end);
            var (field, wireType) = ((int)(key >> 3), (int)(key & 7));
            switch (wireType)
            {
                case 0:
                    var value = ReadVarint(bytes, ref position, end);
                    if (kind == Kind.Tensor && field == 2) dataType = (long)value;
                    break;
                case 1:
                    position = Skip(position, 8, end);
                    break;
                case 5:
                    position = Skip(position, 4, end);
                    break;
                case 2:
                    var length = (int)ReadVarint(bytes, ref position, end);
                    var contentStart = position;
                    position = Skip(position, length, end);
                    if (kind == Kind.Tensor && field == 9)
                        rawData = new RawDataSpan(contentStart, length, 1);
                    else if (Child(kind, field) is { } child)
                        Walk(bytes, contentStart, position, child, found);
                    break;
                default:
                    throw new InvalidOperationException($"serialized ONNX model has protobuf wire type {wireType} at byte {position}; expected 0, 1, 2 or 5");
            }
        }
        if (rawData is { } span)
            found.Add(span with { ElementSize = ElementSize(dataType) });
    }

    // TensorProto.DataType: FLOAT 1, UINT8 2, INT8 3, UINT16 4, INT16 5, INT32 6, INT64 7, BOOL 9, FLOAT16 10,
    // DOUBLE 11, UINT32 12, UINT64 13, BFLOAT16 16; anything else is coded as plain bytes.
    private static int ElementSize(long dataType) => dataType switch
    {
        1 or 6 or 12 => 4,
        4 or 5 or 10 or 16 => 2,
        7 or 11 or 13 => 8,
        _ => 1,
    };

    private static ulong ReadVarint(byte[] bytes, ref int position, int end)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= end) break;
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidOperationException($"serialized ONNX model has a malformed varint before byte {position}");
    }

    private static int Skip(int position, long count, int end) =>
        count >= 0 && count <= end - position
            ? position + (int)count
            : throw new InvalidOperationException($"serialized ONNX model has a field of {count} bytes at byte {position} that runs past its message");
}
