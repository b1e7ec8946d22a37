using Microsoft.ML.OnnxRuntime;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Benchmarks.Float16Kernels;

/// <summary>
/// Builds the pure float16 variant of a model and says, from the graph ONNX Runtime builds at session start, how many
/// nodes run float16 kernels and which operators it widened back to float32.
/// </summary>
public static class PureFloat16Builder
{
    public static PureFloat16Build Build(ModelProto original)
    {
        byte[] bytes;
        Float16KernelUse use;
        try
        {
            bytes = OnnxModelFile.ToBytes(PureFloat16Converter.Convert(original));
            use = Float16KernelUse.Of(bytes);
        }
        catch (Exception error) when (error is OnnxRuntimeException or OnnxModelException)
        {
            return new PureFloat16Build(null, $"not measured: the float16 graph does not load: {error.Message.Split('\n')[0].Trim()}");
        }
        // Nodes around those without a float16 kernel (Reshape, Flatten) follow them into float32 when ONNX Runtime
        // drops Cast pairs, so the float32 list is what runs, not only what lacks a kernel.
        return new PureFloat16Build(bytes,
            $"session graph: {use.Float16Nodes} nodes float16 ({List(use.Float16Operators)}), {use.Float32Nodes} float32 behind inserted Casts ({List(use.Float32Operators)})");
    }

    private static string List(IReadOnlyList<string> operators) => operators.Count == 0 ? "none" : string.Join(", ", operators);
}
