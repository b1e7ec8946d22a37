using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Passes;

/// <summary>
/// Stores float weights as float16 (half the bytes) and widens each back with a Cast(to=FLOAT) node. ONNX Runtime
/// constant-folds those Casts when the session starts, so on CPU the model runs float32 kernels at float32 speed
/// (its float16 CPU kernels are few and slow); only the stored form is float16.
/// </summary>
[RecipeStep(RecipeSteps.Float16)]
internal sealed class Float16WeightsPass : IModelPass
{
    /// <summary>Below this, the Cast node that widens a tensor costs about as many bytes as float16 saves.</summary>
    public const long MinElements = 16;

    public string NothingToCompress => $"float tensors of at least {MinElements} elements";

    public int Apply(ModelProto model, PassContext context)
    {
        var progress = context.Progress;
        var graph = model.Graph;
        var opset = OnnxGraph.OpsetVersion(model);
        var candidates = graph.Initializer.Where(t => IsCandidate(graph, t)).ToList();
        var weights = new List<(TensorProto Tensor, float[] Values)>();
        var outOfRange = new List<string>();
        foreach (var candidate in candidates)
        {
            var values = TensorData.ReadFloats(candidate);
            if (FitsFloat16(values)) weights.Add((candidate, values));
            else outOfRange.Add(candidate.Name);
        }
        if (outOfRange.Count > 0)
            progress?.Report($"fp16: {outOfRange.Count} tensors kept float, their values exceed float16's range of +-65504: {string.Join(", ", outOfRange)}");
        if (weights.Count == 0) return 0;

        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        long floatBytes = 0, halfBytes = 0;
        var names = new GraphNames(graph);
        var casts = new List<NodeProto>();
        foreach (var (weight, values) in weights)
        {
            var halfName = names.Next(weight.Name + "_fp16");
            var half = TensorData.FromFloat16(halfName, weight.Dims.ToArray(), values);
            floatBytes += TensorData.StoredBytes(weight);
            halfBytes += TensorData.StoredBytes(half);
            GraphEditor.RemoveInitializer(graph, weight);
            graph.Initializer.Add(half);
            // The Cast's output takes the weight's old name, so every consumer reads the widened float tensor.
            casts.Add(NodeFactory.CastToFloat(halfName, weight.Name, opset));
        }
        GraphEditor.PrependNodes(graph, casts);
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"fp16: {weights.Count} float weight tensors stored as float16, {floatBytes:N0} -> {halfBytes:N0} bytes"));
        return weights.Count;
    }

    /// <summary>
    /// Values beyond +-65504 would become infinity. PP-OCRv4's detector has BatchNormalization variances near 1e8;
    /// as infinity they silence that layer (x / sqrt(inf) = 0). Tiny values that fall to float16 subnormals or zero
    /// lose little in absolute terms and are accepted.
    /// </summary>
    private static bool FitsFloat16(float[] values) =>
        values.All(v => float.IsNaN(v) || Math.Abs(v) <= (float)Half.MaxValue);

    private static bool IsCandidate(GraphProto graph, TensorProto tensor) =>
        tensor.DataType == (int)DataType.Float
        && TensorData.ElementCount(tensor) >= MinElements
        && !GraphEditor.IsGraphOutput(graph, tensor.Name);
}
