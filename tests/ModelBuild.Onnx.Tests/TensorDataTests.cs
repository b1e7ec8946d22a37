using Google.Protobuf;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Onnx.Tests;

/// <summary>Tensor payloads read the same from raw_data and from the typed fields, and writers round-trip.</summary>
public class TensorDataTests
{
    private static readonly float[] Floats = [0f, -1.5f, 3.25f, float.MaxValue, float.Epsilon, -0f];

    [Fact]
    public void Floats_round_trip_through_raw_data_bit_for_bit()
    {
        var tensor = TensorData.FromFloats("w", [2, 3], Floats);

        Assert.Equal((int)DataType.Float, tensor.DataType);
        Assert.Equal(24, tensor.RawData.Length);
        Assert.Empty(tensor.FloatData);
        var read = TensorData.ReadFloats(Reparse(tensor));
        Assert.Equal(Floats.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Raw_data_is_little_endian()
    {
        var tensor = TensorData.FromFloats("one", [1], [1f]);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F }, tensor.RawData.ToByteArray());
    }

    [Fact]
    public void Floats_read_from_float_data()
    {
        var tensor = Typed(DataType.Float, [2, 3]);
        tensor.FloatData.AddRange(Floats);

        Assert.Equal(Floats, TensorData.ReadFloats(Reparse(tensor)));
        Assert.Equal(TensorData.FromFloats("w", [2, 3], Floats).RawData.ToByteArray(), TensorData.ReadRawBytes(tensor));
    }

    [Fact]
    public void Doubles_read_as_floats_from_raw_and_typed()
    {
        double[] values = [0.1, -2.5, 1e10];
        var typed = Typed(DataType.Double, [3]);
        typed.DoubleData.AddRange(values);
        var raw = Typed(DataType.Double, [3]);
        raw.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());

        float[] expected = [0.1f, -2.5f, 1e10f];
        Assert.Equal(expected, TensorData.ReadFloats(typed));
        Assert.Equal(expected, TensorData.ReadFloats(raw));
    }

    [Fact]
    public void Float16_writes_round_to_nearest_even()
    {
        // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to the even mantissa, 1.
        // 1 + 3*2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): it goes up.
        float[] values = [1f + MathF.Pow(2, -11), 1f + 3 * MathF.Pow(2, -11), 65520f, -0.1f];

        var tensor = TensorData.FromFloat16("h", [4], values);

        Assert.Equal((int)DataType.Float16, tensor.DataType);
        Assert.Equal(8, tensor.RawData.Length);
        var read = TensorData.ReadFloats(Reparse(tensor));
        Assert.Equal(1f, read[0]);
        Assert.Equal(1f + MathF.Pow(2, -9), read[1]);
        Assert.Equal(float.PositiveInfinity, read[2]);
        Assert.Equal((float)(Half)(-0.1f), read[3]);
        Assert.NotEqual(-0.1f, read[3]);
    }

    [Fact]
    public void Float16_reads_from_int32_data_bit_patterns()
    {
        var tensor = Typed(DataType.Float16, [3]);
        tensor.Int32Data.AddRange([0x3C00, 0xC000, 0x3555]);

        var read = TensorData.ReadFloats(Reparse(tensor));

        Assert.Equal([1f, -2f, (float)BitConverter.UInt16BitsToHalf(0x3555)], read);
        Assert.Equal(TensorData.FromFloat16("h", [3], read).RawData.ToByteArray(), TensorData.ReadRawBytes(tensor));
    }

    [Fact]
    public void Bfloat16_reads_the_upper_half_of_a_float()
    {
        var tensor = Typed(DataType.Bfloat16, [2]);
        tensor.Int32Data.AddRange([0x3F80, 0xC0A0]);
        var raw = Typed(DataType.Bfloat16, [2]);
        raw.RawData = ByteString.CopyFrom(0x80, 0x3F, 0xA0, 0xC0);

        Assert.Equal([1f, -5f], TensorData.ReadFloats(tensor));
        Assert.Equal([1f, -5f], TensorData.ReadFloats(raw));
    }

    [Fact]
    public void Int8_round_trips_through_raw_data_and_reads_from_int32_data()
    {
        sbyte[] values = [-128, -1, 0, 1, 127];
        var raw = TensorData.FromInt8("q", [5], values);
        var typed = Typed(DataType.Int8, [5]);
        typed.Int32Data.AddRange(values.Select(v => (int)v));

        long[] expected = [-128, -1, 0, 1, 127];
        Assert.Equal(5, raw.RawData.Length);
        Assert.Equal(expected, TensorData.ReadInt64s(Reparse(raw)));
        Assert.Equal(expected, TensorData.ReadInt64s(Reparse(typed)));
        Assert.Equal(raw.RawData.ToByteArray(), TensorData.ReadRawBytes(typed));
    }

    [Fact]
    public void UInt8_and_int32_round_trip()
    {
        Assert.Equal([0L, 128, 255], TensorData.ReadInt64s(TensorData.FromUInt8("u", [3], [0, 128, 255])));
        Assert.Equal([int.MinValue, 0L, int.MaxValue], TensorData.ReadInt64s(TensorData.FromInt32("i", [3], [int.MinValue, 0, int.MaxValue])));
    }

    [Fact]
    public void Int64_round_trips_through_raw_data_and_reads_from_int64_data()
    {
        long[] values = [long.MinValue, -1, 0, 42, long.MaxValue, 7];
        var raw = TensorData.FromInt64("shape", [3, 2], values);
        var typed = Typed(DataType.Int64, [3, 2]);
        typed.Int64Data.AddRange(values);

        Assert.Equal(values, TensorData.ReadInt64s(Reparse(raw)));
        Assert.Equal(values, TensorData.ReadInt64s(Reparse(typed)));
        Assert.Equal(raw.RawData.ToByteArray(), TensorData.ReadRawBytes(typed));
    }

    [Fact]
    public void Uint32_reads_from_uint64_data()
    {
        var tensor = Typed(DataType.Uint32, [2]);
        tensor.Uint64Data.AddRange([0UL, uint.MaxValue]);

        Assert.Equal([0L, uint.MaxValue], TensorData.ReadInt64s(tensor));
    }

    [Fact]
    public void A_scalar_has_one_element_and_an_empty_dimension_zero()
    {
        Assert.Equal(1, TensorData.ElementCount(TensorData.FromFloats("s", [], [2f])));
        Assert.Equal(0, TensorData.ElementCount(TensorData.FromFloats("e", [0, 5], [])));
        Assert.Empty(TensorData.ReadFloats(TensorData.FromFloats("e", [0, 5], [])));
    }

    [Fact]
    public void Writers_refuse_a_value_count_that_disagrees_with_the_dims()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorData.FromFloats("w", [2, 2], [1f, 2f, 3f]));

        Assert.Contains("need 4 values; found 3", error.Message);
    }

    [Fact]
    public void Readers_refuse_a_payload_that_disagrees_with_the_dims()
    {
        var shortRaw = TensorData.FromFloats("w", [4], [1f, 2f, 3f, 4f]);
        shortRaw.Dims[0] = 5;
        var shortTyped = Typed(DataType.Int64, [3]);
        shortTyped.Int64Data.AddRange([1, 2]);

        var rawError = Assert.Throws<OnnxModelException>(() => TensorData.ReadFloats(shortRaw));
        var typedError = Assert.Throws<OnnxModelException>(() => TensorData.ReadInt64s(shortTyped));

        Assert.Equal("MB1004", rawError.Code);
        Assert.Contains("'w' has 16 bytes of raw_data; expected 20", rawError.Detail);
        Assert.Contains("has 2 values in int64_data; expected 3", typedError.Detail);
    }

    [Fact]
    public void Raw_bytes_of_typed_values_must_match_the_dims()
    {
        var tensor = Typed(DataType.Int32, [4]);
        tensor.Int32Data.AddRange([1, 2, 3]);

        var error = Assert.Throws<OnnxModelException>(() => TensorData.ReadRawBytes(tensor));

        Assert.Contains("has 3 typed values; expected 4", error.Detail);
    }

    [Fact]
    public void Reading_an_integer_tensor_as_floats_says_what_it_is()
    {
        var error = Assert.Throws<OnnxModelException>(() => TensorData.ReadFloats(TensorData.FromInt64("shape", [1], [3])));
        var empty = Assert.Throws<OnnxModelException>(() => TensorData.ReadInt64s(TensorData.FromFloats("none", [0], [])));

        Assert.Contains("element type int64; expected a type readable as float", error.Detail);
        Assert.Contains("element type float; expected a type readable as integer", empty.Detail);
    }

    [Fact]
    public void Unloaded_external_data_is_MB1008()
    {
        var tensor = Typed(DataType.Float, [2]);
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "w.bin" });

        Assert.Equal("MB1008", Assert.Throws<OnnxModelException>(() => TensorData.ReadFloats(tensor)).Code);
        Assert.Equal(8, TensorData.StoredBytes(tensor));
    }

    [Theory]
    [InlineData(DataType.Float, "float", 4)]
    [InlineData(DataType.Double, "double", 8)]
    [InlineData(DataType.Float16, "float16", 2)]
    [InlineData(DataType.Bfloat16, "bfloat16", 2)]
    [InlineData(DataType.Int64, "int64", 8)]
    [InlineData(DataType.Int32, "int32", 4)]
    [InlineData(DataType.Int16, "int16", 2)]
    [InlineData(DataType.Int8, "int8", 1)]
    [InlineData(DataType.Uint8, "uint8", 1)]
    [InlineData(DataType.Uint16, "uint16", 2)]
    [InlineData(DataType.Uint32, "uint32", 4)]
    [InlineData(DataType.Uint64, "uint64", 8)]
    [InlineData(DataType.Bool, "bool", 1)]
    [InlineData(DataType.String, "string", 0)]
    public void Element_types_have_the_documented_names_and_sizes(DataType type, string name, int size)
    {
        Assert.Equal(name, TensorData.ElementTypeName((int)type));
        Assert.Equal(size, TensorData.ElementSize((int)type));
    }

    [Fact]
    public void Stored_bytes_count_raw_data_or_what_typed_values_would_take()
    {
        var typedHalf = Typed(DataType.Float16, [3]);
        typedHalf.Int32Data.AddRange([1, 2, 3]);
        var strings = Typed(DataType.String, [2]);
        strings.StringData.Add(ByteString.CopyFromUtf8("abc"));
        strings.StringData.Add(ByteString.CopyFromUtf8("de"));

        Assert.Equal(12, TensorData.StoredBytes(TensorData.FromFloats("f", [3], [1, 2, 3])));
        Assert.Equal(3, TensorData.StoredBytes(TensorData.FromInt8("q", [3], [1, 2, 3])));
        Assert.Equal(6, TensorData.StoredBytes(typedHalf));
        Assert.Equal(5, TensorData.StoredBytes(strings));
    }

    private static TensorProto Typed(DataType type, long[] dims)
    {
        var tensor = new TensorProto { Name = "t", DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>Through the wire format, so the reader sees what a file would hold.</summary>
    private static TensorProto Reparse(TensorProto tensor) => TensorProto.Parser.ParseFrom(tensor.ToByteArray());
}
