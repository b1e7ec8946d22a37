using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>A weight quantized per channel along <see cref="Axis"/>: the integer tensor, its scales and zero points.</summary>
internal sealed record PerChannelWeights(TensorProto Values, float[] Scales, TensorProto ZeroPoints, int Axis)
{
    /// <summary>
    /// Below this signal-to-quantization-noise ratio of a weight at 7 bits, <see cref="WeightFormat.PerLayer"/> keeps
    /// its 8 bits as uint8. Measured (docs/internals.md, "Target CPU"; SevenBitSqnrZooTests): the zoo's classifiers' GEMM
    /// weights stay above it (all but one, at 32.5 dB) and lose nothing at 7 bits; half of PP-OCRv4's recognizer's, from
    /// 26.1 dB, fall below it.
    /// </summary>
    public const double SevenBitSqnrFloorDecibels = 34;

    /// <summary>The concrete format of one weight under <paramref name="format"/>: resolves <see cref="WeightFormat.PerLayer"/>.</summary>
    public static WeightFormat Resolve(WeightFormat format, TensorProto weight, int axis, bool depthwise)
    {
        // Depthwise kernels widen to 16 bits and sum in 32: full int8 is exact there whatever the CPU.
        if (depthwise && format is WeightFormat.PerLayer or WeightFormat.Int8ReducedRange) return WeightFormat.Int8;
        if (format != WeightFormat.PerLayer) return format;
        return ResolveByNoise(TensorData.ReadFloats(weight), weight.Dims.ToArray(), axis);
    }

    /// <summary>7 bits where they keep the weight's SQNR at or above the floor, else uint8.</summary>
    public static WeightFormat ResolveByNoise(float[] values, long[] dims, int axis) =>
        SevenBitSqnr(values, dims, axis) >= SevenBitSqnrFloorDecibels ? WeightFormat.Int8ReducedRange : WeightFormat.UInt8;

    /// <summary>The weight's SQNR in dB once quantized per channel to [-64, 64].</summary>
    public static double SevenBitSqnr(float[] values, long[] dims, int axis)
    {
        var quantized = SymmetricInt8Quantizer.QuantizePerChannel(values, dims, axis, maxLevel: 64);
        var channels = checked((int)dims[axis]);
        long inner = 1;
        for (var d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        double signal = 0, noise = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var error = values[i] - quantized.Scales[(int)(i / inner % channels)] * quantized.Values[i];
            signal += (double)values[i] * values[i];
            noise += error * error;
        }
        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    /// <summary>
    /// Symmetric per channel by <see cref="SymmetricInt8Quantizer"/> (its rounding rule is the one ONNX Runtime
    /// applies). uint8 storage is the int8 grid shifted by 128.
    /// </summary>
    /// <remarks><paramref name="lowBit"/>: the grid a low-bit step chose for the weight (its values lie on it), or null.</remarks>
    public static PerChannelWeights Quantize(TensorProto weight, int axis, WeightFormat format, string valuesName, string zeroPointsName, LowBitGrid? lowBit = null)
    {
        if (format == WeightFormat.PerLayer)
            throw new ArgumentException("resolve the per-layer format of the weight first (Resolve)", nameof(format));
        var dims = weight.Dims.ToArray();
        var quantized = lowBit is null
            ? SymmetricInt8Quantizer.QuantizePerChannel(TensorData.ReadFloats(weight), dims, axis, format == WeightFormat.Int8ReducedRange ? 64 : SymmetricInt8Quantizer.MaxLevel)
            : SymmetricInt8Quantizer.QuantizeOnScales(TensorData.ReadFloats(weight), dims, axis, lowBit.Scales, lowBit.MaxLevel);
        var channels = quantized.Scales.Length;
        if (format == WeightFormat.UInt8)
        {
            var shifted = TensorData.FromUInt8(valuesName, dims, quantized.Values.Select(l => (byte)(l + 128)).ToArray());
            var zeroPoints = TensorData.FromUInt8(zeroPointsName, [channels], Enumerable.Repeat((byte)128, channels).ToArray());
            return new PerChannelWeights(shifted, quantized.Scales, zeroPoints, axis);
        }
        var signed = TensorData.FromInt8(valuesName, dims, quantized.Values);
        return new PerChannelWeights(signed, quantized.Scales, TensorData.FromInt8(zeroPointsName, [channels], new sbyte[channels]), axis);
    }
}
