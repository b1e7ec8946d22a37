using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Sparsity;

/// <summary>
/// Folds the few value-preserving nodes that stand between a weight initializer and its layer (Identity, Cast, Mul by
/// a broadcast scale, DequantizeLinear) into float values, as ONNX Runtime does at session start. Anything else is
/// "not a constant" (null): the meter counts only what it can read exactly.
/// </summary>
public sealed class ConstantFolder
{
    public sealed record Constant(long[] Dims, float[] Values);

    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Constant?> _folded = new(StringComparer.Ordinal);

    public ConstantFolder(GraphProto graph)
    {
        _initializers = graph.Initializer.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var node in graph.Node)
        foreach (var output in node.Output)
            _producers[output] = node;
    }

    public Constant? Value(string name) => Value(name, depth: 0);

    private Constant? Value(string name, int depth)
    {
        if (_folded.TryGetValue(name, out var known))
            return known;
        // Chains are a few nodes long; the bound keeps a cyclic (invalid) graph from recursing without end.
        var value = depth > 16 ? null : Fold(name, depth);
        _folded[name] = value;
        return value;
    }

    private Constant? Fold(string name, int depth)
    {
        if (_initializers.TryGetValue(name, out var tensor))
            return Read(tensor);
        if (!_producers.TryGetValue(name, out var node) || node.Domain is not ("" or "ai.onnx") || node.Input.Count == 0)
            return null;
        var first = Value(node.Input[0], depth + 1);
        switch (node.OpType)
        {
            case "Identity":
            case "Cast" when first is not null && IsExactCast(node):
                return first;
            case "Mul" when first is not null && node.Input.Count == 2 && Value(node.Input[1], depth + 1) is { } factor:
                return Multiply(first, factor);
            case "DequantizeLinear" when first is not null && node.Input.Count >= 2:
                var zeroPoint = node.Input.Count > 2 && node.Input[2].Length > 0 ? Value(node.Input[2], depth + 1) : null;
                var axis = GraphEditor.IntAttribute(node, "axis", 1);
                if (axis < 0) axis += first.Dims.Length;
                return Value(node.Input[1], depth + 1) is { } scale && Dequantize(first, scale, zeroPoint, (int)axis) is { } values
                    ? new Constant(first.Dims, values)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// <c>(q - zeroPoint) * scale</c> in float, as ONNX Runtime computes it, with scale and zero point either scalars or
    /// one value per index of <paramref name="axis"/>; null when their shapes fit neither.
    /// </summary>
    public static float[]? Dequantize(Constant quantized, Constant? scale, Constant? zeroPoint, int axis)
    {
        var dims = quantized.Dims;
        long channels = axis >= 0 && axis < dims.Length ? dims[axis] : 1;
        if (!Fits(scale, channels) || !Fits(zeroPoint, channels))
            return null;
        long stride = 1;
        for (var d = axis + 1; d < dims.Length; d++) stride *= dims[d];
        var values = new float[quantized.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var channel = channels <= 1 ? 0 : (int)(i / stride % channels);
            var s = scale is null ? 1f : scale.Values[scale.Values.Length == 1 ? 0 : channel];
            var z = zeroPoint is null ? 0f : zeroPoint.Values[zeroPoint.Values.Length == 1 ? 0 : channel];
            values[i] = (quantized.Values[i] - z) * s;
        }
        return values;
    }

    private static bool Fits(Constant? parameter, long channels) =>
        parameter is null || parameter.Values.Length == 1 || parameter.Values.Length == channels;

    /// <summary>A Cast to float keeps a zero zero, and every 8- or 16-bit weight exactly; other targets are not folded.</summary>
    private static bool IsExactCast(NodeProto node) =>
        (DataType)GraphEditor.IntAttribute(node, "to", 0) is DataType.Float or DataType.Double;

    /// <summary><paramref name="values"/> times a factor broadcast into its shape (numpy rules, aligned right); null otherwise.</summary>
    private static Constant? Multiply(Constant values, Constant factor)
    {
        var rank = values.Dims.Length;
        if (factor.Dims.Length > rank)
            return null;
        var factorDims = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            var fd = d - (rank - factor.Dims.Length);
            factorDims[d] = fd < 0 ? 1 : factor.Dims[fd];
            if (factorDims[d] != 1 && factorDims[d] != values.Dims[d])
                return null;
        }
        var result = new float[values.Values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            // Walk the index's coordinates from the last axis, mapping each onto the factor's (1 where it broadcasts).
            long rest = i, factorIndex = 0, factorStride = 1;
            for (var d = rank - 1; d >= 0; d--)
            {
                var coordinate = rest % values.Dims[d];
                rest /= values.Dims[d];
                if (factorDims[d] != 1) factorIndex += coordinate * factorStride;
                factorStride *= factorDims[d];
            }
            result[i] = values.Values[i] * factor.Values[factorIndex];
        }
        return new Constant(values.Dims, result);
    }

    private static Constant? Read(TensorProto tensor)
    {
        var dims = tensor.Dims.ToArray();
        return (DataType)tensor.DataType switch
        {
            DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16 => new Constant(dims, TensorData.ReadFloats(tensor)),
            DataType.Int8 or DataType.Uint8 or DataType.Int16 or DataType.Uint16 or DataType.Int32 =>
                new Constant(dims, TensorData.ReadInt64s(tensor).Select(v => (float)v).ToArray()),
            _ => null,
        };
    }
}
