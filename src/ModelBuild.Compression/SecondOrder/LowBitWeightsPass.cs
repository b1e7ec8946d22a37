using System.Globalization;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// <c>int4[:rounding[:max-error]]</c> and <c>int3</c>: each Conv/Gemm/MatMul weight on a symmetric per-output-channel
/// grid of 4 (3) bits, [-7, 7] ([-3, 3]), rounded by GPTQ from the layer's input statistics (error fed forward column
/// by column) or to nearest (<c>rtn</c>); then static int8 exactly as <c>int8</c> does it, storing those levels in the
/// int8 weights (<see cref="StaticQuantizationOptions.LowBitWeights"/>), so the model is an ordinary int8 QDQ model and
/// the container's entropy coder stores about as many bits as the levels need. A layer whose relative output error on
/// the calibration data would exceed max-error stays 8-bit (mixed precision); zeros (a pruned weight) stay 0.
/// </summary>
[RecipeStep(RecipeSteps.Int4)]
[RecipeStep(RecipeSteps.Int3)]
internal sealed class LowBitWeightsPass(RecipeStep step) : IModelPass
{
    /// <summary>Clipping factors tried for each channel's scale (the one with the least H-weighted rounding error wins).</summary>
    private static readonly double[] ClipFactors = Enumerable.Range(0, 11).Select(i => 1 - (0.04 * i)).ToArray();

    public int Apply(ModelProto model, PassContext context)
    {
        var bits = step.Name == RecipeSteps.Int3 ? 3 : 4;
        var maxLevel = LowBitGrid.MaxLevelOf(bits);
        var rounding = step.Argument("rounding") ?? "gptq";
        var maxError = double.Parse(step.Argument("max-error") ?? "0.05", CultureInfo.InvariantCulture);
        var calibrationInputs = context.Settings.CalibrationInputs
            ?? throw new InvalidOperationException($"'{step.Name}' needs calibration data: the pipeline checks its needs before it runs");
        var graph = model.Graph;
        // A layer static int8 keeps in float (ExcludeNodes/ExcludeOps) would only lose accuracy on the low-bit grid.
        var int8 = context.Settings.Int8;
        var layers = LinearLayers.Find(graph).Where(l => !int8.Excludes(l.Node)).ToList();
        var statistics = LayerStatisticsCollector.Collect(model, layers, calibrationInputs, step.Name, context.Progress).ByWeight;
        var weights = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var grids = new Dictionary<string, LowBitGrid>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var layer in layers)
        {
            var matrix = layer.ReadMatrix(weights[layer.WeightName]);
            var layerStatistics = statistics.GetValueOrDefault(layer.WeightName);
            var scales = Scales(layer, matrix, layerStatistics, maxLevel);
            var rounded = Round(layer, matrix, layerStatistics, scales, maxLevel, rounding);
            var error = layerStatistics is null ? double.NaN : LayerOutputError.Relative(layerStatistics, matrix, rounded);
            var line = string.Create(CultureInfo.InvariantCulture, $"{step.Name}: layer {layer.Name} ({layer.Node.OpType} {layer.Rows}x{layer.Columns}) {rounding} output error {error:G3}");
            if (!(error <= maxError))
            {
                kept.Add(layer.Name);
                context.Progress?.Report(line + (double.IsNaN(error) ? ": no input statistics, stays 8-bit" : string.Create(CultureInfo.InvariantCulture, $" above {maxError:G3}: stays 8-bit")));
                continue;
            }
            graph.Initializer[graph.Initializer.IndexOf(weights[layer.WeightName])] = layer.WriteMatrix(weights[layer.WeightName], rounded);
            grids[layer.WeightName] = new LowBitGrid(scales, maxLevel);
            context.Progress?.Report(line + $": {bits}-bit");
        }
        context.Progress?.Report($"{step.Name}: {grids.Count} of {layers.Count} layers at {bits} bits" + (kept.Count > 0 ? $"; 8-bit: {string.Join(", ", kept)}" : ""));
        return StaticInt8Pass.Quantize(model, context, step.Name, int8 with { LowBitWeights = grids });
    }

    /// <summary>Static int8 always runs integer kernels on the target's scheme.</summary>
    public bool RunsIntegerKernels(ModelProto model) => true;

    /// <summary>
    /// Per output channel, <c>clip x max|w| / maxLevel</c> with the clip factor whose rounding error, weighted by each
    /// input's energy (H's diagonal; 1 without statistics), is least. An all-zero channel gets scale 1.
    /// </summary>
    private static float[] Scales(LinearLayer layer, double[] matrix, LayerStatistics? statistics, int maxLevel)
    {
        var n = layer.Columns;
        var scales = new float[layer.Rows];
        for (var r = 0; r < layer.Rows; r++)
        {
            var row = new ReadOnlySpan<double>(matrix, r * n, n);
            var h = statistics?.Hessians[r / layer.RowsPerGroup];
            double maxAbs = 0;
            foreach (var value in row) maxAbs = Math.Max(maxAbs, Math.Abs(value));
            if (maxAbs == 0)
            {
                scales[r] = 1;
                continue;
            }
            var best = double.PositiveInfinity;
            foreach (var clip in ClipFactors)
            {
                var scale = (float)(clip * maxAbs / maxLevel);
                double error = 0;
                for (var c = 0; c < n; c++)
                {
                    var difference = row[c] - LowBitGrid.Round(row[c], scale, maxLevel);
                    error += difference * difference * (h is null ? 1 : h[((long)c * n) + c]);
                }
                if (error < best) (best, scales[r]) = (error, scale);
            }
        }
        return scales;
    }

    private static double[] Round(LinearLayer layer, double[] matrix, LayerStatistics? statistics, float[] scales, int maxLevel, string rounding)
    {
        var rounded = (double[])matrix.Clone();
        var n = layer.Columns;
        if (rounding == "rtn" || statistics is null)
        {
            for (var i = 0; i < rounded.Length; i++) rounded[i] = LowBitGrid.Round(rounded[i], scales[i / n], maxLevel);
            return rounded;
        }
        for (var g = 0; g < layer.Groups; g++)
        {
            var factor = InverseHessianFactor.Compute(statistics.Hessians[g], n);
            ObsSweep.Quantize(rounded, g * layer.RowsPerGroup, layer.RowsPerGroup, n, factor, scales, maxLevel, (r, c) => matrix[((long)r * n) + c] == 0);
        }
        return rounded;
    }
}
