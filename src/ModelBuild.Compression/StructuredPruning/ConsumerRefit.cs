using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Repairs a layer whose input channels were removed, without training: its remaining weights and its bias are
/// re-fitted by least squares so that its output on the calibration inputs matches the original's as closely as the
/// kept channels allow (min E||W x + b - W' x_kept - b'||^2, solved from the input's second-moment matrix, lightly
/// damped). Where the layer was too wide for that matrix, the removed channels' mean contribution moves into the bias
/// (which is also what re-estimating a following BatchNormalization's mean would do).
/// </summary>
internal static class ConsumerRefit
{
    /// <summary>Ridge damping relative to the mean diagonal of the moment matrix: keeps the solve stable where inputs are collinear.</summary>
    public const double Damping = 1e-3;

    /// <param name="layer">The consumer, its weights as they are now (output rows may already be pruned).</param>
    /// <param name="initializers">The graph's initializers by name.</param>
    /// <param name="statistics">Its input statistics, gathered on the original model.</param>
    /// <param name="keptColumns">Its input columns kept (ascending, in the weight's input-axis order).</param>
    public static RefittedWeights Refit(NodeProto layer, IReadOnlyDictionary<string, TensorProto> initializers, LayerInputStatistics statistics, int[] keptColumns)
    {
        var weightTensor = initializers[layer.Input[1]];
        var dims = weightTensor.Dims.ToArray();
        var inputAxis = ChannelRemover.InputAxis(layer);
        var columns = statistics.Columns;
        var effective = EffectiveWeights(layer, initializers, columns, out var rows);
        var alpha = layer.OpType == "Gemm" ? GraphEditor.FloatAttribute(layer, "alpha", 1f) : 1f;
        var beta = layer.OpType == "Gemm" ? GraphEditor.FloatAttribute(layer, "beta", 1f) : 1f;
        var hasBiasSlot = HasBiasSlot(layer);
        var bias = new double[rows];
        if (hasBiasSlot && layer.Input.Count > 2 && layer.Input[2].Length > 0)
        {
            var values = TensorData.ReadFloats(initializers[layer.Input[2]]);
            for (var r = 0; r < rows; r++) bias[r] = beta * values[values.Length == 1 ? 0 : r];
        }
        double Weight(int row, int column) => effective[(row * columns) + column];

        // A grouped Conv is block-diagonal: each group's output rows are re-fitted on its own slice's kept columns only
        // (the ONNX weight has no cross-group entries). Every slice keeps the same count (its channels are tied).
        var groups = ChannelRemover.Groups(layer);
        var perGroup = columns / groups;
        var rowsPerGroup = rows / groups;
        var slices = Enumerable.Range(0, groups).Select(g => keptColumns.Where(c => c / perGroup == g).ToArray()).ToArray();
        var keptPerRow = slices[0].Length;
        if (slices.Any(slice => slice.Length != keptPerRow))
            throw new InvalidOperationException($"{layer.Name}: its groups keep different numbers of input columns");
        var newWeights = new double[rows * keptPerRow];
        var newBias = (double[])bias.Clone();
        for (var g = 0; g < groups; g++)
        {
            var kept = slices[g];
            var first = g * rowsPerGroup;
            if (statistics.Moments is { } moments)
            {
                Solve(moments, statistics.Cross ?? moments, columns, kept, hasBiasSlot, first, rowsPerGroup, Weight, bias, newWeights, newBias);
                continue;
            }
            // The bias takes what the original inputs gave on average minus what the kept inputs now give.
            for (var r = first; r < first + rowsPerGroup; r++)
            {
                for (var k = 0; k < kept.Length; k++) newWeights[(r * kept.Length) + k] = Weight(r, kept[k]);
                if (!hasBiasSlot) continue;
                for (var c = 0; c < columns; c++) newBias[r] += Weight(r, c) * statistics.OriginalMean[c];
                foreach (var c in kept) newBias[r] -= Weight(r, c) * statistics.Mean[c];
            }
        }

        // Back to the weight's own layout and Gemm's scaling.
        var result = new float[newWeights.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < keptPerRow; k++)
            {
                var value = (float)(newWeights[(r * keptPerRow) + k] / alpha);
                if (inputAxis == 1) result[(r * keptPerRow) + k] = value;
                else result[(k * rows) + r] = value;
            }
        }
        var newDims = (long[])dims.Clone();
        if (layer.OpType == "Conv") newDims[1] = keptPerRow / statistics.KernelSize;
        else newDims[inputAxis] = keptColumns.Length;
        return new RefittedWeights(newDims, result, hasBiasSlot ? newBias.Select(b => (float)(b / beta)).ToArray() : null);
    }

    /// <summary>Whether the layer has a bias the refit may move (Conv; Gemm unless beta is 0; not MatMul).</summary>
    public static bool HasBiasSlot(NodeProto layer) =>
        layer.OpType != "MatMul" && (layer.OpType != "Gemm" || GraphEditor.FloatAttribute(layer, "beta", 1f) != 0);

    /// <summary>
    /// The layer's weights as it applies them, rows (outputs) x <paramref name="columns"/> (inputs x kernel positions),
    /// row-major, whatever the stored layout: Gemm's alpha and a MatMul's or untransposed Gemm's [in, out] folded in; a
    /// grouped Conv's as the block-diagonal matrix over all its input channels (zero outside each row's own slice).
    /// </summary>
    public static double[] EffectiveWeights(NodeProto layer, IReadOnlyDictionary<string, TensorProto> initializers, int columns, out int rows)
    {
        var stored = TensorData.ReadFloats(initializers[layer.Input[1]]);
        var inputAxis = ChannelRemover.InputAxis(layer);
        var alpha = layer.OpType == "Gemm" ? GraphEditor.FloatAttribute(layer, "alpha", 1f) : 1f;
        var groups = ChannelRemover.Groups(layer);
        var perGroup = columns / groups;
        rows = stored.Length / perGroup;
        var rowsPerGroup = rows / groups;
        var weights = new double[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            var offset = (r / rowsPerGroup) * perGroup;
            for (var c = 0; c < perGroup; c++)
                weights[(r * columns) + offset + c] = alpha * (inputAxis == 1 ? stored[(r * perGroup) + c] : stored[(c * rows) + r]);
        }
        return weights;
    }

    // moments: E[z z^T] of the inputs the layer now sees; cross: E[z z_original^T], the original's output being the target.
    // Rows first .. first + count - 1 are solved on keptColumns.
    private static void Solve(double[] moments, double[] cross, int columns, int[] keptColumns, bool hasBiasSlot, int first, int count, Func<int, int, double> weight, double[] bias, double[] newWeights, double[] newBias)
    {
        var order = columns + 1;
        // The kept columns, and the constant 1 when there is a bias to take the removed channels' mean.
        var kept = hasBiasSlot ? [.. keptColumns, columns] : keptColumns;
        var n = kept.Length;
        var system = new double[n * n];
        double diagonal = 0;
        for (var i = 0; i < n; i++) diagonal += moments[(kept[i] * order) + kept[i]];
        var ridge = Damping * Math.Max(diagonal / n, 1e-12);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) system[(i * n) + j] = moments[(kept[i] * order) + kept[j]];
            system[(i * n) + i] += ridge;
        }
        var solver = new CholeskySolver(system, n);
        var target = new double[order];
        var rhs = new double[n];
        for (var r = first; r < first + count; r++)
        {
            for (var c = 0; c < columns; c++) target[c] = weight(r, c);
            target[columns] = bias[r];
            // rhs = cross[kept, :] . target: how the original output correlates with each kept input.
            for (var i = 0; i < n; i++)
            {
                double sum = 0;
                var row = kept[i] * order;
                for (var c = 0; c < order; c++) sum += cross[row + c] * target[c];
                rhs[i] = sum;
            }
            solver.SolveInPlace(rhs);
            for (var k = 0; k < keptColumns.Length; k++) newWeights[(r * keptColumns.Length) + k] = rhs[k];
            if (hasBiasSlot) newBias[r] = rhs[n - 1];
        }
    }
}
