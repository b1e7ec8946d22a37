using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Sparsity;

/// <summary>
/// The weight of every Conv, Gemm and MatMul layer (and of their integer forms) as float values, followed back through
/// the nodes a recipe or an exporter puts between an initializer and the layer: Identity, Cast, Mul by a scale and
/// DequantizeLinear; integer operators are dequantized with their own scale and zero point. So a float model and its
/// int8 form can be compared value by value, and a zero means a weight the layer multiplies by exactly 0.
/// </summary>
public static class LayerWeights
{
    /// <summary>Where an operator reads its weight, the weight's scale and zero point (-1: none) and the axis they run along (-1: the last).</summary>
    private sealed record Slot(int Weight, int Scale, int ZeroPoint, int Axis);

    private static readonly Dictionary<string, Slot> Slots = new(StringComparer.Ordinal)
    {
        ["Conv"] = new(1, -1, -1, 0),
        ["ConvTranspose"] = new(1, -1, -1, 0),
        ["Gemm"] = new(1, -1, -1, 0),
        ["MatMul"] = new(1, -1, -1, 0),
        ["QLinearConv"] = new(3, 4, 5, 0),
        ["QLinearMatMul"] = new(3, 4, 5, -1),
        ["ConvInteger"] = new(1, -1, 3, 0),
        ["MatMulInteger"] = new(1, -1, 3, -1),
        ["MatMulIntegerToFloat"] = new(1, 3, 5, -1),
        ["DynamicQuantizeMatMul"] = new(1, 2, 3, -1),
    };

    /// <summary>The layers' weights in graph order; a layer whose weight is not a constant (an activation) is left out.</summary>
    public static IReadOnlyList<LayerWeight> Read(ModelProto model)
    {
        // Hoisting on a copy puts Constant-node weights (PyTorch's converted QAT export) beside the initializers.
        var copy = model.Clone();
        OnnxGraph.HoistConstants(copy);
        var graph = copy.Graph;
        var constants = new ConstantFolder(graph);
        var layers = new List<LayerWeight>();
        foreach (var node in graph.Node)
        {
            if (!Slots.TryGetValue(node.OpType, out var slot) || node.Input.Count <= slot.Weight)
                continue;
            var weightIndex = slot.Weight;
            // A MatMul may hold its constant on either side.
            if (node.OpType == "MatMul" && constants.Value(node.Input[1]) is null)
                weightIndex = 0;
            if (constants.Value(node.Input[weightIndex]) is not { } weight)
                continue;
            var values = slot.Scale < 0 && slot.ZeroPoint < 0
                ? weight.Values
                : ConstantFolder.Dequantize(weight, Optional(constants, node, slot.Scale), Optional(constants, node, slot.ZeroPoint),
                    slot.Axis < 0 ? weight.Dims.Length - 1 : slot.Axis);
            if (values is null)
                continue;
            // Gemm's transB weight is [N,K]; int8-dynamic stores it as [K,N] (MatMulWeightPlan): present every GEMM
            // weight as [K,N], so a value keeps its index across recipes.
            if (node.OpType == "Gemm" && GraphEditor.IntAttribute(node, "transB", 0) != 0 && weight.Dims.Length == 2)
                layers.Add(new LayerWeight(node, node.Input[weightIndex], [weight.Dims[1], weight.Dims[0]], Transpose(values, weight.Dims[0], weight.Dims[1])));
            else
                layers.Add(new LayerWeight(node, node.Input[weightIndex], weight.Dims, values));
        }
        return layers;
    }

    private static float[] Transpose(float[] values, long rows, long columns)
    {
        var transposed = new float[values.Length];
        for (long r = 0; r < rows; r++)
        for (long c = 0; c < columns; c++)
            transposed[(c * rows) + r] = values[(r * columns) + c];
        return transposed;
    }

    private static ConstantFolder.Constant? Optional(ConstantFolder constants, NodeProto node, int index) =>
        index >= 0 && index < node.Input.Count && node.Input[index].Length > 0 ? constants.Value(node.Input[index]) : null;
}
