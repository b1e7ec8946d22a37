using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Clustering;

/// <summary>
/// <c>cluster[:bits[:channels[:importance]]]</c>, weight sharing (Deep Compression's second stage, without retraining): every layer
/// weight takes at most 2^bits values per group of output channels, found by <see cref="ChannelGroupClustering"/>.
/// It runs after the weight representation and clusters on its grid: the integers behind each weight's
/// DequantizeLinear after <c>int8</c> (so the model stays an ordinary int8 QDQ model, run by the same int8 kernels), the float weights of Conv, ConvTranspose, Gemm and MatMul otherwise
/// (and the layers <c>int8</c> left float). The stored form is then few distinct values, which entropy coding
/// (<c>+huffman</c>) turns into about bits per weight or less. With calibration data each layer's bias then gives back
/// the mean its output moved (<see cref="BiasCorrection"/>). <c>cluster:bits:channels:inputs</c> with calibration data
/// also weighs each element's error by its input channel's second moment (<see cref="InputChannelStatistics"/>); it is not
/// the default because on the zoo's Fashion-MNIST CNN it lost as much top-1 as uniform weights, within the noise
/// (benchmark --compression, 2026-11-27).
/// </summary>
[RecipeStep(RecipeSteps.Cluster)]
internal sealed class WeightClusteringPass(RecipeStep step) : IModelPass
{
    public const int DefaultBits = 4;

    /// <summary>The <c>importance</c> parameter's value that weighs elements by their input's second moment on the calibration data.</summary>
    public const string ByInputs = "inputs";

    private static readonly string[] Layers = ["Conv", "ConvTranspose", "Gemm", "MatMul"];

    private readonly int bits = step.Argument("bits") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : DefaultBits;

    private readonly int channelsPerGroup = step.Argument("channels") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 0;

    private readonly bool byInputs = step.Argument("importance") == ByInputs;

    public string NothingToCompress => $"layer weights of at least {WeightSelection.MinInt8Elements} elements";

    public int Apply(ModelProto model, PassContext context)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select((tensor, index) => (tensor, index)).ToDictionary(t => t.tensor.Name, t => t.index, StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(node => node.Input.Select(input => (input, node))).ToLookup(pair => pair.input, pair => pair.node, StringComparer.Ordinal);
        var targets = new List<ClusterTarget>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            // A layer the user keeps as it is (ExcludeNodes/ExcludeOps) keeps its weights.
            if (Target(graph, initializers, consumers, node) is { } target && !(target.Layer is { } layer && context.Settings.Int8.Excludes(layer)) && seen.Add(target.Weight.Name))
                targets.Add(target);
        }
        var statistics = Statistics(model, targets, context);
        var k = 1 << bits;
        foreach (var target in targets)
        {
            var weight = target.Weight;
            var dims = weight.Dims.ToArray();
            var inputs = target.Input is { } input && statistics.TryGetValue(input.Activation, out var found) && found.Mean.Length == input.Channels ? found : null;
            var importance = byInputs && inputs is not null ? Damped(inputs.MeanSquare, target.Input!.ChannelOf) : null;
            var (replaced, change) = target.Scales is null
                ? ClusterFloats(weight, dims, target.Axis, k, importance)
                : ClusterIntegers(weight, dims, target.Axis, k, target.Scales, target.ZeroPoints, importance);
            graph.Initializer[initializers[weight.Name]] = replaced;
            var correction = inputs is not null && target.Layer is { } layerNode && target.Input!.Outputs is { } outputs
                && BiasCorrection.Apply(graph, layerNode, Shift(change, inputs.Mean, target.Input, outputs, layerNode));
            var layer = target.Layer is { } l ? (l.Name.Length > 0 ? l.Name : l.OpType) : "-";
            context.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"cluster: layer {layer} weight {weight.Name} ({TensorData.ElementTypeName(weight.DataType)}, {TensorData.ElementCount(weight):N0} values) to at most {k} values per {(channelsPerGroup == 0 ? "tensor" : $"{channelsPerGroup} channels")}, {(importance is null ? "uniform" : "weighted by the input's second moment")}{(correction ? ", bias corrected" : "")}"));
        }
        return targets.Count;
    }

    /// <summary>
    /// The mean output shift per output channel the weight change causes: sum of change * E[x] over the channel's
    /// weights (times Gemm's alpha).
    /// </summary>
    private static double[] Shift(double[] change, double[] mean, LayerInput input, (int Count, Func<long, int> Of) outputs, NodeProto layer)
    {
        var alpha = layer.OpType == "Gemm" ? GraphEditor.FloatAttribute(layer, "alpha", 1f) : 1f;
        var shift = new double[outputs.Count];
        for (var i = 0; i < change.Length; i++)
        {
            if (change[i] != 0) shift[outputs.Of(i)] += alpha * change[i] * mean[input.ChannelOf(i)];
        }
        return shift;
    }

    /// <summary>
    /// Each element's importance: its input channel's second moment plus their mean (GPTQ damps the Hessian's diagonal
    /// the same way). A channel silent on the calibration inputs may not be silent on others, so it keeps some weight.
    /// </summary>
    private static Func<long, double>? Damped(double[] moment, Func<long, int> channelOf)
    {
        var mean = moment.Average();
        if (!(mean > 0)) return null;
        return i => (moment[channelOf(i)] + mean) / mean;
    }

    /// <summary>
    /// The mean and second moment of every target layer's input on the calibration data, when there is some: the means
    /// correct the biases, the second moments weigh the elements when the recipe asks for it.
    /// </summary>
    private static Dictionary<string, ChannelStatistics> Statistics(ModelProto model, IReadOnlyList<ClusterTarget> targets, PassContext context)
    {
        var activations = targets.Select(t => t.Input).OfType<LayerInput>()
            .GroupBy(input => input.Activation, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First().Axis, StringComparer.Ordinal);
        if (context.Settings.CalibrationInputs is not { } inputs || activations.Count == 0)
            return new Dictionary<string, ChannelStatistics>(StringComparer.Ordinal);
        context.Progress?.Report($"cluster: measuring the mean and second moment of {activations.Count} layer inputs on up to {InputChannelStatistics.MaxInputs} calibration inputs");
        return InputChannelStatistics.Measure(model, activations, inputs);
    }

    /// <summary>The weight the node reads and the axis of its output channels: an integer weight behind a DequantizeLinear (with its scales and zero points), or a layer's float weight.</summary>
    private static ClusterTarget? Target(GraphProto graph, Dictionary<string, int> initializers, ILookup<string, NodeProto> consumers, NodeProto node)
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
            var layer = node.Output.Count == 0 ? null
                : consumers[node.Output[0]].FirstOrDefault(n => Layers.Contains(n.OpType) && n.Input.Count > 1 && n.Input[1] == node.Output[0]);
            return new ClusterTarget(integers, scales.Length == 1 ? 0 : axis, layer, layer is null ? null : LayerInput.Of(layer, integers.Dims.ToArray()))
            {
                Scales = scales,
                ZeroPoints = Initializer(2),
            };
        }
        var outputAxis = node.OpType switch
        {
            "Conv" => 0,
            "ConvTranspose" => 1,
            // -1: the last axis (a [K, N] GEMM weight's outputs).
            "Gemm" => GraphEditor.IntAttribute(node, "transB", 0) != 0 ? 0 : -1,
            "MatMul" => -1,
            _ => int.MinValue,
        };
        if (outputAxis == int.MinValue || node.Domain.Length != 0 || Initializer(1) is not { DataType: (int)DataType.Float } weight
            || TensorData.ElementCount(weight) < WeightSelection.MinInt8Elements || GraphEditor.IsGraphOutput(graph, weight.Name))
            return null;
        var last = Math.Max(0, weight.Dims.Count - 1);
        return new ClusterTarget(weight, outputAxis < 0 ? last : Math.Min(outputAxis, last), node, LayerInput.Of(node, weight.Dims.ToArray()));
    }

    /// <summary>The clustered float weight and each element's change.</summary>
    private (TensorProto Weight, double[] Change) ClusterFloats(TensorProto weight, long[] dims, int axis, int k, Func<long, double>? importance)
    {
        var values = TensorData.ReadFloats(weight).Select(v => (double)v).ToArray();
        var costs = new double[values.Length];
        for (var i = 0; i < costs.Length; i++) costs[i] = importance?.Invoke(i) ?? 1.0;
        var clustered = ChannelGroupClustering.Cluster(values, costs, dims, axis, channelsPerGroup, k, onIntegerGrid: false);
        var stored = clustered.Select(v => (float)v).ToArray();
        return (TensorData.FromFloats(weight.Name, dims, stored), stored.Select((v, i) => (double)v - values[i]).ToArray());
    }

    /// <summary>
    /// Clusters the offsets from the zero point (an offset of 0 is an exact zero), every element alike: each channel's
    /// integers span its own range, so alike means the same relative precision per channel. Weighing by the channel's
    /// scale squared (the absolute error) measured no better on ResNet-20 (+0.84/+0.68/+3.79 points at 6/5/4 bits
    /// against +0.26/+0.68/+5.53 alike; benchmark --compression, 2026-11-27).
    /// </summary>
    private (TensorProto Weight, double[] Change) ClusterIntegers(TensorProto weight, long[] dims, int axis, int k, float[] scales, TensorProto? zeroPointTensor, Func<long, double>? importance)
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
            costs[i] = importance?.Invoke(i) ?? 1.0;
        }
        var clustered = ChannelGroupClustering.Cluster(offsets, costs, dims, axis, channelsPerGroup, k, onIntegerGrid: true);
        var stored = new byte[raw.Length];
        var change = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            stored[i] = (byte)(int)(clustered[i] + zeroPoints[ChannelOf(i)]);
            change[i] = (clustered[i] - offsets[i]) * scales[ChannelOf(i)];
        }
        return (signed
            ? TensorData.FromInt8(weight.Name, dims, stored.Select(b => (sbyte)b).ToArray())
            : TensorData.FromUInt8(weight.Name, dims, stored), change);
    }
}
