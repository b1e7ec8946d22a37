using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// Ranks the weight-bearing layers (Conv, ConvTranspose, Gemm, MatMul) by the signal-to-quantization-noise ratio of
/// their outputs in the compressed model against the float model, worst first: the layers to keep in float when
/// accuracy is lost. Both models get the layers' outputs as extra graph outputs and run on the same inputs.
/// </summary>
public static class LayerDiagnosis
{
    private static readonly HashSet<string> LayerOperators = new(StringComparer.Ordinal) { "Conv", "ConvTranspose", "Gemm", "MatMul" };

    // A compressor may fuse an activation into its layer (the fused output keeps the activation's name), so a layer
    // whose own output is gone is compared at the first following element-wise output both models have.
    private static readonly HashSet<string> FusableFollowers = new(StringComparer.Ordinal)
        { "Relu", "Clip", "LeakyRelu", "BatchNormalization", "Add", "Mul", "Sigmoid", "HardSigmoid" };

    public static IReadOnlyList<LayerNoise> Rank(ModelProto original, ModelProto compressed, IReadOnlyList<ImageTensor> inputs)
    {
        var compressedOutputs = compressed.Graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var layers = new List<(NodeProto Node, string Output)>();
        foreach (var node in original.Graph.Node.Where(n => LayerOperators.Contains(n.OpType) && n.Output.Count == 1))
        {
            if (ComparableOutput(original.Graph, node.Output[0], compressedOutputs) is { } output && layers.All(l => l.Output != output))
                layers.Add((node, output));
        }
        if (layers.Count == 0 || inputs.Count == 0)
            return [];

        var names = layers.Select(l => l.Output).ToList();
        var reference = RunWithOutputs(original, names, inputs);
        var candidate = RunWithOutputs(compressed, names, inputs);
        // A layer that structured pruning narrowed has fewer output channels: no value-by-value comparison exists.
        return layers
            .Select((layer, i) => (Layer: layer, Index: i))
            .Where(l => reference[l.Index].Count == candidate[l.Index].Count)
            .Select(l => new LayerNoise(l.Layer.Node.Name.Length > 0 ? l.Layer.Node.Name : l.Layer.Output, l.Layer.Node.OpType, l.Layer.Output, Sqnr(reference[l.Index], candidate[l.Index])))
            .OrderBy(l => l.SqnrDecibels)
            .ToList();
    }

    public static double Sqnr(IReadOnlyList<float> reference, IReadOnlyList<float> candidate)
    {
        double signal = 0, noise = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            signal += (double)reference[i] * reference[i];
            var difference = (double)reference[i] - candidate[i];
            noise += difference * difference;
        }
        if (noise == 0) return double.PositiveInfinity;
        return 10 * Math.Log10(Math.Max(signal, double.Epsilon) / noise);
    }

    private static string? ComparableOutput(GraphProto graph, string output, HashSet<string> available)
    {
        for (var step = 0; step < 4; step++)
        {
            if (available.Contains(output)) return output;
            var readers = graph.Node.Where(n => n.Input.Contains(output)).ToList();
            if (readers.Count != 1 || !FusableFollowers.Contains(readers[0].OpType) || readers[0].Output.Count == 0) return null;
            output = readers[0].Output[0];
        }
        return null;
    }

    // Per requested output: its values over all inputs, concatenated. An int8-full model is fed its input quantized
    // on the input's grid, and a layer output that is its uint8 graph output is dequantized, as ModelRunner does.
    private static List<float>[] RunWithOutputs(ModelProto model, IReadOnlyList<string> names, IReadOnlyList<ImageTensor> inputs)
    {
        var probe = model.Clone();
        OnnxGraph.ExposeAsOutputs(probe.Graph, names);
        using var session = MeasurementSessionOptions.CreateSession(OnnxModelFile.ToBytes(probe));
        using var runOptions = new RunOptions();
        var inputName = session.InputNames[0];
        var inputType = session.InputMetadata[inputName].ElementDataType;
        var inputGrid = inputType == TensorElementType.UInt8 ? BoundaryConversion.Grid(model, BoundaryQuantization.InputKind, inputName) : (QuantizationParameters?)null;
        var outputGrids = names
            .Select(name => session.OutputMetadata[name].ElementDataType == TensorElementType.UInt8 ? BoundaryConversion.Grid(model, BoundaryQuantization.OutputKind, name) : (QuantizationParameters?)null)
            .ToArray();
        var values = names.Select(_ => new List<float>()).ToArray();
        foreach (var input in inputs)
        {
            using var inputValue = BoundaryConversion.ToOrtValue(BoundaryConversion.ToInput(input.Values, inputType, inputGrid), input.Shape);
            using var outputs = session.Run(runOptions, [inputName], [inputValue], names.ToArray());
            for (var i = 0; i < names.Count; i++)
                values[i].AddRange(BoundaryConversion.ToFloat(outputs[i], outputGrids[i]));
        }
        return values;
    }
}
