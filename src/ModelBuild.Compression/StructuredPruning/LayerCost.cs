using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// One Conv, Gemm or MatMul layer's multiply-accumulates for one input (batch 1) and its weight parameters: what
/// structured pruning removes, printed per layer in the report. A fused integer layer (QLinearConv) is not counted.
/// </summary>
public sealed record LayerCost(string Layer, string Operator, long MultiplyAccumulates, long Parameters)
{
    /// <summary>
    /// Each layer's cost in <paramref name="model"/>, with output sizes taken from one run of <paramref name="input"/>
    /// (ONNX Runtime's own shapes, so nothing is inferred here). Layers whose weights are not initializers count their
    /// multiply-accumulates only.
    /// </summary>
    public static IReadOnlyList<LayerCost> Measure(ModelProto model, ImageTensor input)
    {
        // Nothing to count, or inputs the float calibration input cannot feed (int8-full's uint8): no table.
        if (model.Graph.Node.All(n => n.OpType is not ("Conv" or "Gemm" or "MatMul"))
            || OnnxGraph.RealInputs(model.Graph)[0].Type.TensorType.ElemType != (int)TensorProto.Types.DataType.Float)
            return [];
        var layers = model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul" && n.Domain is "" or "ai.onnx").ToList();
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        // Weights in Constant nodes (PP-OCR's) count like initializers.
        foreach (var constant in model.Graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1))
        {
            if (GraphEditor.Attribute(constant, "value")?.T is { } held) initializers.TryAdd(constant.Output[0], held);
        }
        // An int8 model's weights reach the layer through DequantizeLinear: its input is the initializer with the shape.
        foreach (var dequantize in model.Graph.Node.Where(n => n.OpType == "DequantizeLinear" && n.Input.Count > 0 && initializers.ContainsKey(n.Input[0])))
            initializers.TryAdd(dequantize.Output[0], initializers[dequantize.Input[0]]);
        var names = layers.Select(l => l.Output[0]).Distinct().ToList();
        var outputElements = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var runner = new ExposedValueRunner(model, names))
            runner.Run(input, (index, values, _) => outputElements[names[index]] = values.Length);

        return layers.Select(layer =>
        {
            var weight = initializers.GetValueOrDefault(layer.Input[1]);
            var bias = layer.Input.Count > 2 && layer.Input[2].Length > 0 ? initializers.GetValueOrDefault(layer.Input[2]) : null;
            // Multiply-accumulates per output element: the weights one output reads.
            var perOutput = weight is null ? 0 : layer.OpType switch
            {
                "Conv" => weight.Dims.Skip(1).Aggregate(1L, (a, b) => a * b),
                "Gemm" when GraphEditor.IntAttribute(layer, "transB", 0) != 0 => weight.Dims[^1],
                _ => weight.Dims.Count >= 2 ? weight.Dims[^2] : weight.Dims[0],
            };
            var parameters = (weight is null ? 0 : TensorData.ElementCount(weight)) + (bias is null ? 0 : TensorData.ElementCount(bias));
            return new LayerCost(NameOf(layer), layer.OpType, outputElements[layer.Output[0]] * perOutput, parameters);
        }).ToList();
    }

    /// <summary>How a layer is named in costs and reports: its node name, else its output.</summary>
    public static string NameOf(NodeProto layer) => layer.Name.Length > 0 ? layer.Name : layer.Output[0];
}
