using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Onnx;

/// <summary>
/// Reads and writes tensor payloads. ONNX stores a tensor's values either in <c>raw_data</c> (little endian) or in
/// the typed field for its type (float_data, int32_data, int64_data, double_data, uint64_data); readers accept both.
/// Writers always use <c>raw_data</c>: it is what exporters emit and what ONNX Runtime reads fastest.
/// </summary>
public static class TensorData
{
    public static long ElementCount(TensorProto tensor)
    {
        long count = 1;
        foreach (var dim in tensor.Dims)
        {
            if (dim < 0)
                throw TensorError(tensor, $"has dimension {dim}; expected dimensions of 0 or more");
            count = checked(count * dim);
        }
        return count;
    }

    /// <summary>Bytes per element; 0 for types without a whole-byte size (string, and the packed 4-bit types).</summary>
    public static int ElementSize(int dataType) => (DataType)dataType switch
    {
        DataType.Float or DataType.Int32 or DataType.Uint32 => 4,
        DataType.Uint8 or DataType.Int8 or DataType.Bool => 1,
        DataType.Float8E4M3Fn or DataType.Float8E4M3Fnuz or DataType.Float8E5M2 or DataType.Float8E5M2Fnuz => 1,
        DataType.Uint16 or DataType.Int16 or DataType.Float16 or DataType.Bfloat16 => 2,
        DataType.Int64 or DataType.Double or DataType.Uint64 or DataType.Complex64 => 8,
        DataType.Complex128 => 16,
        DataType.String or DataType.Uint4 or DataType.Int4 or DataType.Float4E2M1 => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "not an ONNX tensor element type"),
    };

    /// <summary>The bytes <c>raw_data</c> must hold for this many elements; -1 for strings (no raw form).</summary>
    public static long RawByteLength(int dataType, long elementCount) => (DataType)dataType switch
    {
        DataType.String => -1,
        // Two 4-bit values per byte, the last byte half used when the count is odd.
        DataType.Uint4 or DataType.Int4 or DataType.Float4E2M1 => (elementCount + 1) / 2,
        _ => checked(elementCount * ElementSize(dataType)),
    };

    /// <summary>ONNX's element type names in lower case, as the model description uses them.</summary>
    public static string ElementTypeName(int dataType) =>
        Enum.IsDefined(typeof(DataType), dataType) && dataType != 0
            ? ((DataType)dataType).ToString().ToLowerInvariant()
            : $"undefined({dataType})";

    public static float[] ReadFloats(TensorProto tensor)
    {
        var type = (DataType)tensor.DataType;
        if (type is not (DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16))
            throw NotReadableAs(tensor, "float");
        var count = CheckedCount(tensor);
        var values = new float[count];
        if (HasRawData(tensor))
        {
            var raw = RawSpan(tensor, count);
            // ONNX's raw_data is little endian, like every platform .NET runs on here: a plain copy is exact.
            if (type == DataType.Float && BitConverter.IsLittleEndian)
                return MemoryMarshal.Cast<byte, float>(raw).ToArray();
            for (var i = 0; i < count; i++)
            {
                values[i] = type switch
                {
                    DataType.Float => BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4)),
                    DataType.Double => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * 8)),
                    DataType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(raw.Slice(i * 2)),
                    DataType.Bfloat16 => BFloat16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2))),
                    _ => throw NotReadableAs(tensor, "float"),
                };
            }
            return values;
        }
        switch (type)
        {
            case DataType.Float:
                CheckTypedCount(tensor, tensor.FloatData.Count, count, "float_data");
                tensor.FloatData.CopyTo(values, 0);
                break;
            case DataType.Double:
                CheckTypedCount(tensor, tensor.DoubleData.Count, count, "double_data");
                for (var i = 0; i < count; i++) values[i] = (float)tensor.DoubleData[i];
                break;
            // The spec stores 16-bit floats as their bit patterns, one per int32_data entry.
            case DataType.Float16:
                CheckTypedCount(tensor, tensor.Int32Data.Count, count, "int32_data");
                for (var i = 0; i < count; i++) values[i] = (float)BitConverter.UInt16BitsToHalf((ushort)tensor.Int32Data[i]);
                break;
            case DataType.Bfloat16:
                CheckTypedCount(tensor, tensor.Int32Data.Count, count, "int32_data");
                for (var i = 0; i < count; i++) values[i] = BFloat16ToFloat((ushort)tensor.Int32Data[i]);
                break;
            default:
                throw NotReadableAs(tensor, "float");
        }
        return values;
    }

    public static long[] ReadInt64s(TensorProto tensor)
    {
        var type = (DataType)tensor.DataType;
        if (type is not (DataType.Int64 or DataType.Uint64 or DataType.Int32 or DataType.Uint32 or DataType.Int16
            or DataType.Uint16 or DataType.Int8 or DataType.Uint8 or DataType.Bool))
            throw NotReadableAs(tensor, "integer");
        var count = CheckedCount(tensor);
        var values = new long[count];
        if (HasRawData(tensor))
        {
            var raw = RawSpan(tensor, count);
            for (var i = 0; i < count; i++)
            {
                values[i] = type switch
                {
                    DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * 8)),
                    DataType.Uint64 => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(i * 8))),
                    DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * 4)),
                    DataType.Uint32 => BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(i * 4)),
                    DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw.Slice(i * 2)),
                    DataType.Uint16 => BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2)),
                    DataType.Int8 => (sbyte)raw[i],
                    DataType.Uint8 or DataType.Bool => raw[i],
                    _ => throw NotReadableAs(tensor, "integer"),
                };
            }
            return values;
        }
        switch (type)
        {
            case DataType.Int64:
                CheckTypedCount(tensor, tensor.Int64Data.Count, count, "int64_data");
                tensor.Int64Data.CopyTo(values, 0);
                break;
            case DataType.Uint64 or DataType.Uint32:
                CheckTypedCount(tensor, tensor.Uint64Data.Count, count, "uint64_data");
                for (var i = 0; i < count; i++) values[i] = checked((long)tensor.Uint64Data[i]);
                break;
            case DataType.Int32 or DataType.Int16 or DataType.Uint16 or DataType.Int8 or DataType.Uint8 or DataType.Bool:
                CheckTypedCount(tensor, tensor.Int32Data.Count, count, "int32_data");
                for (var i = 0; i < count; i++) values[i] = tensor.Int32Data[i];
                break;
            default:
                throw NotReadableAs(tensor, "integer");
        }
        return values;
    }

    /// <summary>The raw bytes of a fixed-size tensor in <c>raw_data</c> layout, whichever field holds them.</summary>
    public static byte[] ReadRawBytes(TensorProto tensor)
    {
        var count = CheckedCount(tensor);
        if (HasRawData(tensor))
            return RawSpan(tensor, count).ToArray();
        var type = (DataType)tensor.DataType;
        var bytes = type switch
        {
            DataType.Float => Pack(ReadFloats(tensor), 4, (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v)),
            DataType.Double => Pack(tensor.DoubleData.ToArray(), 8, (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v)),
            DataType.Float16 or DataType.Bfloat16 or DataType.Int16 or DataType.Uint16 =>
                Pack(tensor.Int32Data.ToArray(), 2, (span, v) => BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)v)),
            DataType.Int8 or DataType.Uint8 or DataType.Bool => Pack(tensor.Int32Data.ToArray(), 1, (span, v) => span[0] = (byte)v),
            DataType.Int32 => Pack(tensor.Int32Data.ToArray(), 4, (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v)),
            DataType.Int64 => Pack(tensor.Int64Data.ToArray(), 8, (span, v) => BinaryPrimitives.WriteInt64LittleEndian(span, v)),
            DataType.Uint32 => Pack(tensor.Uint64Data.ToArray(), 4, (span, v) => BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)v)),
            DataType.Uint64 => Pack(tensor.Uint64Data.ToArray(), 8, (span, v) => BinaryPrimitives.WriteUInt64LittleEndian(span, v)),
            _ => throw NotReadableAs(tensor, "raw bytes"),
        };
        var expected = RawByteLength(tensor.DataType, count);
        if (bytes.Length != expected)
            throw TensorError(tensor, $"has {bytes.Length / ElementSize(tensor.DataType)} typed values; expected {count} from its dimensions [{string.Join(",", tensor.Dims)}]");
        return bytes;
    }

    public static TensorProto FromFloats(string name, long[] dims, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
            return FromRaw(name, dims, DataType.Float, values, 4, (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v));
        var tensor = NewTensor(name, dims, DataType.Float, values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        return tensor;
    }

    /// <summary>FLOAT16 in raw_data; System.Half's conversion rounds to nearest, ties to even.</summary>
    public static TensorProto FromFloat16(string name, long[] dims, ReadOnlySpan<float> values) =>
        FromRaw(name, dims, DataType.Float16, values, 2, (span, v) => BinaryPrimitives.WriteHalfLittleEndian(span, (Half)v));

    public static TensorProto FromInt8(string name, long[] dims, ReadOnlySpan<sbyte> values) =>
        FromRaw(name, dims, DataType.Int8, values, 1, (span, v) => span[0] = (byte)v);

    public static TensorProto FromUInt8(string name, long[] dims, ReadOnlySpan<byte> values) =>
        FromRaw(name, dims, DataType.Uint8, values, 1, (span, v) => span[0] = v);

    public static TensorProto FromInt32(string name, long[] dims, ReadOnlySpan<int> values) =>
        FromRaw(name, dims, DataType.Int32, values, 4, (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v));

    public static TensorProto FromInt64(string name, long[] dims, ReadOnlySpan<long> values) =>
        FromRaw(name, dims, DataType.Int64, values, 8, (span, v) => BinaryPrimitives.WriteInt64LittleEndian(span, v));

    /// <summary>
    /// Bytes of the weight payload: raw_data's length, or for typed fields the element count times the element size
    /// (what raw_data would hold); for strings, the sum of their lengths; for unloaded external data, its length.
    /// </summary>
    public static long StoredBytes(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            return ExternalDataReference.Of(tensor).StoredBytes(tensor);
        if (HasRawData(tensor))
            return tensor.RawData.Length;
        if (tensor.DataType == (int)DataType.String)
            return tensor.StringData.Sum(s => (long)s.Length);
        return RawByteLength(tensor.DataType, TypedValueCount(tensor));
    }

    /// <summary>What is wrong with the tensor's payload (count or length disagrees with its dims), or null.</summary>
    public static string? PayloadProblem(TensorProto tensor)
    {
        if (tensor.DataType == 0 || !Enum.IsDefined(typeof(DataType), tensor.DataType))
            return $"has data_type {tensor.DataType}; expected an ONNX element type (1 float, 7 int64, ...)";
        if (tensor.Dims.Any(d => d < 0))
            return $"has dimensions [{string.Join(",", tensor.Dims)}]; expected dimensions of 0 or more";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            return null;
        var count = ElementCount(tensor);
        if (tensor.DataType == (int)DataType.String)
            return tensor.StringData.Count == count ? null : $"has {tensor.StringData.Count} strings; its dimensions [{string.Join(",", tensor.Dims)}] need {count}";
        var expectedBytes = RawByteLength(tensor.DataType, count);
        if (HasRawData(tensor))
            return tensor.RawData.Length == expectedBytes ? null
                : $"has {tensor.RawData.Length} bytes of raw_data; its dimensions [{string.Join(",", tensor.Dims)}] and type {ElementTypeName(tensor.DataType)} need {expectedBytes}";
        var typedCount = TypedValueCount(tensor);
        return typedCount == count ? null
            : $"has {typedCount} values; its dimensions [{string.Join(",", tensor.Dims)}] need {count}";
    }

    internal static bool HasRawData(TensorProto tensor) =>
        !tensor.RawData.IsEmpty || TypedValueCount(tensor) == 0 && tensor.StringData.Count == 0;

    private static long TypedValueCount(TensorProto tensor) =>
        tensor.FloatData.Count + tensor.Int32Data.Count + tensor.Int64Data.Count + tensor.DoubleData.Count + tensor.Uint64Data.Count;

    private static int CheckedCount(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new OnnxModelException(DiagnosticCodes.ExternalDataMissing, null,
                $"tensor '{tensor.Name}' keeps its values in an external file that was not read; load the model with OnnxModelFile.Load, which reads external data");
        var count = ElementCount(tensor);
        if (count > Array.MaxLength)
            throw TensorError(tensor, $"has {count} elements; at most {Array.MaxLength} can be read into memory");
        return (int)count;
    }

    private static ReadOnlySpan<byte> RawSpan(TensorProto tensor, long count)
    {
        var expected = RawByteLength(tensor.DataType, count);
        if (tensor.RawData.Length != expected)
            throw TensorError(tensor, $"has {tensor.RawData.Length} bytes of raw_data; expected {expected} for {count} {ElementTypeName(tensor.DataType)} values");
        return tensor.RawData.Span;
    }

    private static void CheckTypedCount(TensorProto tensor, int found, long expected, string field)
    {
        if (found != expected)
            throw TensorError(tensor, $"has {found} values in {field}; expected {expected} from its dimensions [{string.Join(",", tensor.Dims)}]");
    }

    private static float BFloat16ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private delegate void WriteElement<T>(Span<byte> destination, T value);

    private static byte[] Pack<T>(ReadOnlySpan<T> values, int size, WriteElement<T> write)
    {
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
            write(bytes.AsSpan(i * size, size), values[i]);
        return bytes;
    }

    private static TensorProto FromRaw<T>(string name, long[] dims, DataType type, ReadOnlySpan<T> values, int size, WriteElement<T> write)
    {
        var tensor = NewTensor(name, dims, type, values.Length);
        tensor.RawData = ByteString.CopyFrom(Pack(values, size, write));
        return tensor;
    }

    private static TensorProto NewTensor(string name, long[] dims, DataType type, int valueCount)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        if (ElementCount(tensor) != valueCount)
            throw new ArgumentException($"tensor '{name}': dimensions [{string.Join(",", dims)}] need {ElementCount(tensor)} values; found {valueCount}", nameof(dims));
        return tensor;
    }

    private static OnnxModelException NotReadableAs(TensorProto tensor, string wanted) =>
        TensorError(tensor, $"has element type {ElementTypeName(tensor.DataType)}; expected a type readable as {wanted}");

    private static OnnxModelException TensorError(TensorProto tensor, string problem) =>
        new(DiagnosticCodes.InvalidModel, null, $"tensor '{tensor.Name}' {problem}");
}
