using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Compression.Quantization;
using ModelBuild.Runtime;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Evaluation;

/// <summary>
/// Turns the evaluation's float32 values into what a model's input takes, and its output back into float32, so
/// every model is measured on the same floats: a float16 tensor (a pure float16 graph) is converted, and a uint8
/// tensor on a calibrated grid (<c>int8-full</c>) is quantized by ONNX QuantizeLinear's rule or dequantized.
/// </summary>
public static class BoundaryConversion
{
    /// <summary>The uint8 grid of the model's input or output <paramref name="name"/>, read from the graph.</summary>
    /// <exception cref="InvalidOperationException">The tensor is uint8 without a constant grid: its floats are unknown.</exception>
    public static QuantizationParameters Grid(ModelProto model, string kind, string name)
    {
        var boundary = BoundaryQuantizationReader.Read(model).FirstOrDefault(b => b.Kind == kind && b.Name == name)
            ?? throw new InvalidOperationException(
                $"{kind} '{name}' is uint8: expected it read by a DequantizeLinear (input) or written by a QuantizeLinear (output) with a constant per-tensor scale and zero point, as int8-full makes it, found none, so its float values are unknown");
        return boundary.Parameters;
    }

    /// <summary>The input's values in its element type: float32 as given, float16, or uint8 levels on <paramref name="grid"/>.</summary>
    public static Array ToInput(float[] values, TensorElementType type, QuantizationParameters? grid) => type switch
    {
        TensorElementType.Float16 => Array.ConvertAll(values, value => (Float16)value),
        TensorElementType.UInt8 => Quantize(values, grid ?? throw new ArgumentNullException(nameof(grid), "a uint8 input needs its grid")),
        _ => values,
    };

    /// <summary>Wraps what <see cref="ToInput"/> returned, in place (pinned, no copy).</summary>
    public static OrtValue ToOrtValue(Array input, long[] shape) => input switch
    {
        Float16[] halves => OrtValue.CreateTensorValueFromMemory(halves, shape),
        byte[] levels => OrtValue.CreateTensorValueFromMemory(levels, shape),
        float[] floats => OrtValue.CreateTensorValueFromMemory(floats, shape),
        _ => throw new ArgumentException($"expected float, float16 or uint8 values, found {input.GetType().Name}", nameof(input)),
    };

    /// <summary>An output's values as float32: float16 widened, uint8 levels dequantized on <paramref name="grid"/>.</summary>
    public static float[] ToFloat(OrtValue output, QuantizationParameters? grid)
    {
        switch (output.GetTensorTypeAndShape().ElementDataType)
        {
            case TensorElementType.Float16:
            {
                var halves = output.GetTensorDataAsSpan<Float16>();
                var values = new float[halves.Length];
                for (var i = 0; i < halves.Length; i++)
                    values[i] = (float)halves[i];
                return values;
            }
            case TensorElementType.UInt8:
            {
                var levels = output.GetTensorDataAsSpan<byte>();
                var parameters = grid ?? throw new ArgumentNullException(nameof(grid), "a uint8 output needs its grid");
                var values = new float[levels.Length];
                for (var i = 0; i < levels.Length; i++)
                    values[i] = parameters.Dequantize(levels[i]);
                return values;
            }
            default:
                return output.GetTensorDataAsSpan<float>().ToArray();
        }
    }

    /// <summary>ONNX QuantizeLinear as ONNX Runtime computes it (float32, round half to even, saturate to 0..255).</summary>
    public static byte[] Quantize(ReadOnlySpan<float> values, QuantizationParameters grid) => grid.Quantize(values);
}
