using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StaticQuantization;

/// <summary>A weight quantized per channel along <see cref="Axis"/>: the integer tensor, its scales and zero points.</summary>
internal sealed record PerChannelWeights(TensorProto Values, float[] Scales, TensorProto ZeroPoints, int Axis)
{
    /// <summary>
    /// Symmetric per channel: <c>scale = max|w| / maxLevel</c> over the channel, levels by ONNX's rounding (half to
    /// even, <see cref="QuantizationParameters.QuantizeOnnx"/>). uint8 storage is the int8 grid shifted by 128.
    /// </summary>
    public static PerChannelWeights Quantize(TensorProto weight, int axis, WeightFormat format, string valuesName, string zeroPointsName)
    {
        var values = TensorData.ReadFloats(weight);
        var dims = weight.Dims.ToArray();
        var channels = checked((int)dims[axis]);
        long inner = 1;
        for (var d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        var maxAbs = new float[channels];
        for (var i = 0; i < values.Length; i++)
        {
            var channel = (int)(i / inner % channels);
            maxAbs[channel] = Math.Max(maxAbs[channel], Math.Abs(values[i]));
        }

        var maxLevel = format == WeightFormat.Int8ReducedRange ? 64 : 127;
        var grids = maxAbs.Select(m => QuantizationParameters.Symmetric(m, maxLevel)).ToArray();
        var levels = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
            levels[i] = grids[(int)(i / inner % channels)].QuantizeOnnx(values[i]);
        var scales = grids.Select(g => g.StoredScale).ToArray();

        if (format == WeightFormat.UInt8)
        {
            var shifted = TensorData.FromUInt8(valuesName, dims, levels.Select(l => (byte)(l + 128)).ToArray());
            var zeroPoints = TensorData.FromUInt8(zeroPointsName, [channels], Enumerable.Repeat((byte)128, channels).ToArray());
            return new PerChannelWeights(shifted, scales, zeroPoints, axis);
        }
        var signed = TensorData.FromInt8(valuesName, dims, levels.Select(l => (sbyte)l).ToArray());
        return new PerChannelWeights(signed, scales, TensorData.FromInt8(zeroPointsName, [channels], new sbyte[channels]), axis);
    }
}
