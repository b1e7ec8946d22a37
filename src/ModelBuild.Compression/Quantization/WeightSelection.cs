using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>Which initializers the int8 passes quantize.</summary>
internal static class WeightSelection
{
    /// <summary>
    /// Smaller tensors (biases, scales, shape constants) stay float: they save few bytes and their error would
    /// shift every output of a layer at once.
    /// </summary>
    public const long MinInt8Elements = 256;

    /// <summary>The float initializer named <paramref name="name"/> with the given rank and enough elements, or null.</summary>
    public static TensorProto? Int8Candidate(GraphProto graph, string name, Func<int, bool> rankAllowed)
    {
        var tensor = graph.Initializer.FirstOrDefault(t => t.Name == name);
        return tensor is not null
            && tensor.DataType == (int)DataType.Float
            && rankAllowed(tensor.Dims.Count)
            && TensorData.ElementCount(tensor) >= MinInt8Elements
            ? tensor
            : null;
    }
}
