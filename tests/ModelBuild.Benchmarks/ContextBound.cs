using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Benchmarks;

/// <summary>
/// How far context modelling takes a model's weights below order-0 coding (issue 10's xz goal). Each weight tensor's
/// <c>raw_data</c> is cut into byte planes (byte k of every element). Each plane is coded, in bits actually spent, by
/// an adaptive binary coder (a bit tree per context, as LZMA codes literals) with three contexts: the same element's
/// next-higher byte, the previous element's byte in the plane, and both. The saving is the plane's order-0 entropy
/// less the cheapest of those, when positive. Order 0 here is per plane, which can be more than the chain the
/// writer chose (non-zeros with positions, a palette), so the saving flatters context coding rather than hiding it.
/// </summary>
public static class ContextBound
{
    // Smaller tensors stay in the graph part or cost more in tables than any context could save.
    private const int SmallestTensorBytes = 256;

    /// <summary>Sum over the weight tensors' planes of (order-0 entropy - the cheapest adaptive context coder's), in bytes.</summary>
    public static double SavingsBytes(byte[] decodedModel)
    {
        var model = OnnxModelFile.Parse(decodedModel, "decoded model");
        double saving = 0;
        foreach (var tensor in Tensors(model.Graph))
        {
            var elements = tensor.Dims.Aggregate(1L, (product, dim) => product * dim);
            var raw = tensor.RawData.Span;
            if (raw.Length < SmallestTensorBytes || elements <= 0 || raw.Length % elements != 0) continue;
            saving += TensorSaving(raw, (int)(raw.Length / elements));
        }
        return saving;
    }

    private static IEnumerable<TensorProto> Tensors(GraphProto graph)
    {
        foreach (var initializer in graph.Initializer) yield return initializer;
        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                if (attribute.T is not null) yield return attribute.T;
                foreach (var sub in attribute.G is null ? [] : new[] { attribute.G }.Concat(attribute.Graphs))
                {
                    foreach (var inner in Tensors(sub)) yield return inner;
                }
            }
        }
    }

    private static double TensorSaving(ReadOnlySpan<byte> raw, int elementSize)
    {
        var count = raw.Length / elementSize;
        double saving = 0;
        var symbols = new byte[count];
        var higher = new byte[count];
        for (var plane = 0; plane < elementSize; plane++)
        {
            for (var i = 0; i < count; i++)
            {
                symbols[i] = raw[i * elementSize + plane];
                // Little-endian: the next-higher byte of the same element (the top plane has none).
                higher[i] = plane + 1 < elementSize ? raw[i * elementSize + plane + 1] : (byte)0;
            }
            var orderZero = OrderZeroBits(symbols);
            var best = Math.Min(
                AdaptiveBits(symbols, i => higher[i]),
                Math.Min(AdaptiveBits(symbols, i => i > 0 ? symbols[i - 1] : 0), AdaptiveBits(symbols, i => (i > 0 ? symbols[i - 1] : 0) << 8 | higher[i])));
            saving += Math.Max(0, orderZero - best) / 8;
        }
        return saving;
    }

    // What an adaptive binary coder spends on the symbols, each coded as 8 binary decisions down a bit tree whose node
    // probabilities are learned per context (Krichevsky-Trofimov counts, as LZMA's literal coder learns them).
    private static double AdaptiveBits(byte[] symbols, Func<int, int> contextOf)
    {
        var zeros = new Dictionary<int, float[]>();
        double bits = 0;
        for (var i = 0; i < symbols.Length; i++)
        {
            var context = contextOf(i);
            if (!zeros.TryGetValue(context, out var counts)) zeros[context] = counts = new float[512];
            var node = 1;
            for (var bit = 7; bit >= 0; bit--)
            {
                var value = (symbols[i] >> bit) & 1;
                ref var n0 = ref counts[2 * node];
                ref var n1 = ref counts[2 * node + 1];
                var p = ((value == 0 ? n0 : n1) + 0.5) / (n0 + n1 + 1.0);
                bits -= Math.Log2(p);
                if (value == 0) n0++; else n1++;
                node = 2 * node + value;
            }
        }
        return bits;
    }

    private static double OrderZeroBits(byte[] symbols)
    {
        var counts = new long[256];
        foreach (var symbol in symbols) counts[symbol]++;
        double bits = 0;
        foreach (var n in counts)
        {
            if (n > 0) bits -= n * Math.Log2((double)n / symbols.Length);
        }
        return bits;
    }
}
