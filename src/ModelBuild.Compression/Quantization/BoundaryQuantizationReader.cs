using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Reads the uint8 grids of a model's boundary from the graph itself: a uint8 input read by a DequantizeLinear, a
/// uint8 output written by a QuantizeLinear, each with a constant per-tensor scale and zero point. Reading the
/// model, rather than remembering what the quantizer did, keeps the description true to the model it describes.
/// </summary>
public static class BoundaryQuantizationReader
{
    public static IReadOnlyList<BoundaryQuantization> Read(ModelProto model)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var found = new List<BoundaryQuantization>();
        foreach (var input in OnnxGraph.RealInputs(graph).Where(IsUInt8))
        {
            var dequantize = graph.Node.FirstOrDefault(n => n.OpType == "DequantizeLinear" && n.Input.Count == 3 && n.Input[0] == input.Name);
            if (dequantize is not null && Grid(initializers, dequantize) is { } grid)
                found.Add(new BoundaryQuantization(BoundaryQuantization.InputKind, input.Name, grid.Scale, grid.ZeroPoint));
        }
        foreach (var output in graph.Output.Where(IsUInt8))
        {
            var quantize = graph.Node.FirstOrDefault(n => n.OpType == "QuantizeLinear" && n.Input.Count == 3 && n.Output[0] == output.Name);
            if (quantize is not null && Grid(initializers, quantize) is { } grid)
                found.Add(new BoundaryQuantization(BoundaryQuantization.OutputKind, output.Name, grid.Scale, grid.ZeroPoint));
        }
        return found;
    }

    private static bool IsUInt8(ValueInfoProto value) => value.Type?.TensorType?.ElemType == (int)DataType.Uint8;

    private static (float Scale, byte ZeroPoint)? Grid(Dictionary<string, TensorProto> initializers, NodeProto node)
    {
        if (!initializers.TryGetValue(node.Input[1], out var scale) || !initializers.TryGetValue(node.Input[2], out var zeroPoint)
            || scale.DataType != (int)DataType.Float || zeroPoint.DataType != (int)DataType.Uint8)
            return null;
        var scales = TensorData.ReadFloats(scale);
        var zeroPoints = TensorData.ReadRawBytes(zeroPoint);
        return scales.Length == 1 && zeroPoints.Length == 1 ? (scales[0], zeroPoints[0]) : null;
    }
}
