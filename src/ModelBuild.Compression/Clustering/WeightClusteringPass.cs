using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Clustering;

/// <summary>
/// <c>cluster[:bits[:channels]]</c>, weight sharing (Deep Compression's second stage, without retraining): every layer
/// weight takes at most 2^bits values per group of output channels, found by <see cref="ChannelGroupClustering"/>.
/// It runs after the weight representation and clusters on its grid: the integers behind each weight's
/// DequantizeLinear after <c>int8</c> (so the model stays an ordinary int8 QDQ model, run by the same int8 kernels, each
/// error weighed by its channel's scale squared), the float weights of Conv, ConvTranspose, Gemm and MatMul otherwise
/// (and the layers <c>int8</c> left float). The stored form is then few distinct values, which entropy coding
/// (<c>+huffman</c>) turns into about bits per weight or less.
/// </summary>
[RecipeStep(RecipeSteps.Cluster)]
internal sealed class WeightClusteringPass(RecipeStep step) : IModelPass
{
    public const int DefaultBits = 4;

    private readonly int bits = step.Argument("bits") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : DefaultBits;

    private readonly int channelsPerGroup = step.Argument("channels") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 0;

    public string NothingToCompress => $"layer weights of at least {WeightSelection.MinInt8Elements} elements";

    public int Apply(ModelProto model, PassContext context)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select((tensor, index) => (tensor, index)).ToDictionary(t => t.tensor.Name, t => t.index, StringComparer.Ordinal);
        var clustered = new HashSet<string>(StringComparer.Ordinal);
        var k = 1 << bits;
        foreach (var node in graph.Node)
        {
            var target = Target(graph, initializers, node);
            if (target is null || !clustered.Add(target.Value.Weight.Name)) continue;
            var (weight, axis, scales, zeroPoints) = target.Value;
            var dims = weight.Dims.ToArray();
            var replaced = scales is null
                ? ClusterFloats(weight, dims, axis, k)
                : ClusterIntegers(weight, dims, axis, k, scales, zeroPoints);
            graph.Initializer[initializers[weight.Name]] = replaced;
            context.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"cluster: layer {(node.Name.Length > 0 ? node.Name : node.OpType)} weight {weight.Name} ({TensorData.ElementTypeName(weight.DataType)}, {TensorData.ElementCount(weight):N0} values) to at most {k} values per {(channelsPerGroup == 0 ? "tensor" : $"{channelsPerGroup} channels")}"));
        }
        return clustered.Count;
    }

    /// <summary>The weight the node reads and the axis of its output channels: an integer weight behind a DequantizeLinear (with its scales and zero points), or a layer's float weight.</summary>
    private static (TensorProto Weight, int Axis, float[]? Scales, TensorProto? ZeroPoints)? Target(GraphProto graph, Dictionary<string, int> initializers, NodeProto node)
    {
        TensorProto? Initializer(int input) =>
            input < node.Input.Count && initializers.TryGetValue(node.Input[input], out var index) ? graph.Initializer[index] : null;

        if (node.OpType == "DequantizeLinear" && node.Domain.Length == 0)
        {
            if (Initializer(0) is not { } integers || integers.DataType is not ((int)DataType.Int8 or (int)DataType.Uint8)
                || TensorData.ElementCount(integers) < WeightSelection.MinInt8Elements
                || Initializer(1) is not { DataType: (int)DataType.Float } scale)
                return null;
            var rank = integers.Dims.Count;
            var axis = (int)GraphEditor.IntAttribute(node, "axis", 1);
            if (axis < 0) axis += rank;
            var scales = TensorData.ReadFloats(scale);
            if (axis < 0 || axis >= rank || (scales.Length != 1 && scales.Length != integers.Dims[axis])) return null;
            return (integers, scales.Length == 1 ? 0 : axis, scales, Initializer(2));
        }
        var (slot, outputAxis) = node.OpType switch
        {
            "Conv" => (1, 0),
            "ConvTranspose" => (1, 1),
            // -1: the last axis (a [K, N] GEMM weight's outputs).
            "Gemm" => (1, GraphEditor.IntAttribute(node, "transB", 0) != 0 ? 0 : -1),
            "MatMul" => (1, -1),
            _ => (-1, -1),
        };
        if (slot < 0 || node.Domain.Length != 0 || Initializer(slot) is not { DataType: (int)DataType.Float } weight
            || TensorData.ElementCount(weight) < WeightSelection.MinInt8Elements || GraphEditor.IsGraphOutput(graph, weight.Name))
            return null;
        return (weight, outputAxis < 0 ? Math.Max(0, weight.Dims.Count - 1) : Math.Min(outputAxis, weight.Dims.Count - 1), null, null);
    }

    private TensorProto ClusterFloats(TensorProto weight, long[] dims, int axis, int k)
    {
        var values = TensorData.ReadFloats(weight).Select(v => (double)v).ToArray();
        var costs = new double[values.Length];
        Array.Fill(costs, 1.0);
        var clustered = ChannelGroupClustering.Cluster(values, costs, dims, axis, channelsPerGroup, k, onIntegerGrid: false);
        return TensorData.FromFloats(weight.Name, dims, clustered.Select(v => (float)v).ToArray());
    }

    /// <summary>Clusters the offsets from the zero point (an offset of 0 is an exact zero), each weighed by its channel's scale squared.</summary>
    private TensorProto ClusterIntegers(TensorProto weight, long[] dims, int axis, int k, float[] scales, TensorProto? zeroPointTensor)
    {
        var raw = TensorData.ReadRawBytes(weight);
        var signed = weight.DataType == (int)DataType.Int8;
        var zeroPoints = zeroPointTensor is null ? new int[scales.Length] : TensorData.ReadRawBytes(zeroPointTensor).Select(z => signed ? (sbyte)z : (int)z).ToArray();
        if (zeroPoints.Length != scales.Length)
            throw new InvalidOperationException($"DequantizeLinear of '{weight.Name}' has {scales.Length} scales but {zeroPoints.Length} zero points");
        var channels = dims.Length == 0 ? 1 : dims[axis];
        var inner = 1L;
        for (var d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        int ChannelOf(int i) => scales.Length == 1 ? 0 : (int)(i / inner % channels);

        var offsets = new double[raw.Length];
        var costs = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var channel = ChannelOf(i);
            offsets[i] = (signed ? (sbyte)raw[i] : raw[i]) - zeroPoints[channel];
            costs[i] = (double)scales[channel] * scales[channel];
        }
        var clustered = ChannelGroupClustering.Cluster(offsets, costs, dims, axis, channelsPerGroup, k, onIntegerGrid: true);
        var stored = new byte[raw.Length];
        for (var i = 0; i < raw.Length; i++)
            stored[i] = (byte)(int)(clustered[i] + zeroPoints[ChannelOf(i)]);
        return signed
            ? TensorData.FromInt8(weight.Name, dims, stored.Select(b => (sbyte)b).ToArray())
            : TensorData.FromUInt8(weight.Name, dims, stored);
    }
}
