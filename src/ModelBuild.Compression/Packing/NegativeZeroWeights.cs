using Google.Protobuf;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Before packing, the negative zeros of weights that are only multiplied (Conv and ConvTranspose filters, Gemm and
/// MatMul operands) become positive zeros. A training framework's pruning mask leaves -0.0 wherever it zeroed a negative
/// weight (w * 0 keeps w's sign): about half the zeros of the zoo's pruned-and-fine-tuned model. Multiplied, -0.0 and
/// 0.0 give products that sum alike (x * -0 + y = x * 0 + y; only a sum of nothing but zeros could differ in the sign of
/// its zero), so the model computes the same outputs; but a zero with its sign bit set is not a zero to the container,
/// which would code each one as a value (4 bytes in byte planes) where a positive zero costs its flag alone: the sign of
/// every zero weight, about a bit each, is information no output depends on. Float, float16 and bfloat16 initializers
/// of the main graph, read nowhere else (no other operator, subgraph or graph output).
/// </summary>
internal static class NegativeZeroWeights
{
    /// <summary>Makes the negative zeros of multiplied weights positive; returns how many elements changed.</summary>
    public static long Canonicalize(ModelProto model)
    {
        var graph = model.Graph;
        var reads = GraphEditor.ConsumerCounts(graph);
        var multiplied = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (IsMultipliedOperand(node.OpType, node.Domain, i)) multiplied[node.Input[i]] = multiplied.GetValueOrDefault(node.Input[i]) + 1;
            }
        }
        long changed = 0;
        foreach (var tensor in graph.Initializer)
        {
            var signBit = SignBitOffset((TensorProto.Types.DataType)tensor.DataType);
            if (signBit < 0 || tensor.DataLocation == TensorProto.Types.DataLocation.External) continue;
            if (!multiplied.TryGetValue(tensor.Name, out var uses) || uses != reads.GetValueOrDefault(tensor.Name) || GraphEditor.IsGraphOutput(graph, tensor.Name))
                continue;
            changed += Canonicalize(tensor, signBit + 1);
        }
        return changed;
    }

    // Conv/ConvTranspose filters (input 1), both Gemm and MatMul operands, in the default domain.
    private static bool IsMultipliedOperand(string opType, string domain, int input) =>
        domain is "" or "ai.onnx" && opType switch
        {
            "Conv" or "ConvTranspose" => input == 1,
            "Gemm" or "MatMul" => input is 0 or 1,
            _ => false,
        };

    // The offset of the byte holding the sign bit in a little-endian element (its last byte), or -1 for other types.
    private static int SignBitOffset(TensorProto.Types.DataType type) => type switch
    {
        TensorProto.Types.DataType.Float => 3,
        TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16 => 1,
        _ => -1,
    };

    private static long Canonicalize(TensorProto tensor, int elementSize)
    {
        var bytes = TensorData.ReadRawBytes(tensor);
        long changed = 0;
        for (var i = 0; i + elementSize <= bytes.Length; i += elementSize)
        {
            var element = bytes.AsSpan(i, elementSize);
            if (element[^1] != 0x80 || element[..^1].ContainsAnyExcept((byte)0)) continue;
            element[^1] = 0;
            changed++;
        }
        if (changed == 0) return 0;
        tensor.FloatData.Clear();
        tensor.Int32Data.Clear();
        tensor.RawData = ByteString.CopyFrom(bytes);
        return changed;
    }
}
