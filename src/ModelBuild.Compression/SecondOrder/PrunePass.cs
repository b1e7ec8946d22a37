using System.Globalization;
using ModelBuild.Compression.Passes;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// <c>prune[:sparsity[:allocation[:repair]]]</c>: sets the given fraction of the Conv/Gemm/MatMul weights to exactly 0
/// (per-layer counts from <see cref="SparsityAllocation"/>), then repairs without training from the calibration data:
/// <c>obs</c> chooses each column block's zeros by <c>w^2 / [H^-1]</c> and updates the remaining weights (SparseGPT),
/// then corrects the biases; <c>bias</c> prunes by magnitude and corrects the biases; <c>none</c> prunes by magnitude.
/// Zeros stay exact through static int8 (symmetric weights, zero point 0) and <c>int4</c>, which keeps them.
/// </summary>
[RecipeStep(RecipeSteps.Prune)]
internal sealed class PrunePass(RecipeStep step) : IModelPass
{
    /// <summary>Evaluation inputs the sensitivity is measured on, at most: the second moments settle well before.</summary>
    public const int SensitivityInputs = 256;

    public int Apply(ModelProto model, PassContext context)
    {
        var sparsity = double.Parse(step.Argument("sparsity") ?? "0.5", CultureInfo.InvariantCulture);
        var allocation = step.Argument("allocation") ?? "sensitivity";
        var repair = step.Argument("repair") ?? "obs";
        var calibrationInputs = context.Settings.CalibrationInputs
            ?? throw new InvalidOperationException($"'{step.Name}' needs calibration data: the pipeline checks its needs before it runs");
        var graph = model.Graph;
        // Layers the user keeps as they are (ExcludeNodes/ExcludeOps) keep every weight; the sparsity is of the others.
        var layers = LinearLayers.Find(graph).Where(l => !context.Settings.Int8.Excludes(l.Node)).ToList();
        if (layers.Count == 0) return 0;
        var needsStatistics = repair != "none" || allocation == "sensitivity";
        var statistics = needsStatistics
            ? LayerStatisticsCollector.Collect(model, layers, calibrationInputs, step.Name, context.Progress).ByWeight
            : new Dictionary<string, LayerStatistics>();
        var weights = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var matrices = layers.Select(layer => layer.ReadMatrix(weights[layer.WeightName])).ToList();
        var sizes = matrices.Select(m => (long)m.Length).ToList();
        var factors = layers.Select(layer => repair == "obs" || allocation == "sensitivity"
            ? statistics.GetValueOrDefault(layer.WeightName) is { } s ? LayerPruner.Factors(s) : null
            : null).ToList();
        // Sensitivity is measured on the evaluation inputs when the item has them (the issue's "measure, do not
        // guess" on the data the model is judged by); the repair always uses the calibration inputs.
        var (sensitivityStatistics, sensitivityFactors) = (statistics, factors);
        if (allocation == "sensitivity" && context.Settings.EvaluationInputs is { Count: > 0 } evaluation)
        {
            var onEvaluation = evaluation.Take(SensitivityInputs).ToList();
            context.Progress?.Report($"{step.Name}: per-layer sensitivity measured on {onEvaluation.Count} evaluation inputs");
            sensitivityStatistics = LayerStatisticsCollector.Collect(model, layers, onEvaluation, step.Name, context.Progress).ByWeight;
            sensitivityFactors = layers.Select(layer => sensitivityStatistics.GetValueOrDefault(layer.WeightName) is { } s ? LayerPruner.Factors(s) : null).ToList();
        }

        var counts = allocation switch
        {
            "uniform" => SparsityAllocation.Uniform(sizes, sparsity),
            "global" => SparsityAllocation.Global(matrices, sparsity),
            _ => SparsityAllocation.BySensitivity(sizes, layers.Select((layer, l) => Sensitivity(layer, matrices[l], sensitivityStatistics.GetValueOrDefault(layer.WeightName), sensitivityFactors[l], context.Progress)).ToList(), sparsity),
        };

        var changed = 0;
        for (var l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var layerStatistics = statistics.GetValueOrDefault(layer.WeightName);
            var (pruned, _) = LayerPruner.Prune(layer, matrices[l], repair == "obs" ? layerStatistics : null, repair == "obs" ? factors[l] : null, counts[l]);
            var corrected = repair != "none" && layerStatistics is not null && BiasCorrection.Apply(graph, layerStatistics, matrices[l], pruned);
            var index = graph.Initializer.IndexOf(weights[layer.WeightName]);
            graph.Initializer[index] = layer.WriteMatrix(weights[layer.WeightName], pruned);
            changed++;
            var error = layerStatistics is null ? "no input statistics (not repaired)" : $"output error {LayerOutputError.Relative(layerStatistics, matrices[l], pruned):G3}";
            context.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{step.Name}: layer {layer.Name} ({layer.Node.OpType} {layer.Rows}x{layer.Columns}{(layer.Groups > 1 ? $", {layer.Groups} groups" : "")}) sparsity {(double)counts[l] / sizes[l]:F3} ({counts[l]:N0} of {sizes[l]:N0} zeroed), {error}{(corrected ? ", bias corrected" : "")}"));
        }
        context.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{step.Name}: {counts.Sum():N0} of {sizes.Sum():N0} weights zeroed ({(double)counts.Sum() / sizes.Sum():P1}; allocation {allocation}, repair {repair})"));
        return changed;
    }

    /// <summary>The layer's relative output error at each sparsity level (measured after SparseGPT; by the weight's own energy when it has no statistics).</summary>
    private double[] Sensitivity(LinearLayer layer, double[] matrix, LayerStatistics? statistics, IReadOnlyList<double[]>? factors, IProgress<string>? progress)
    {
        var signal = 0.0;
        if (statistics is not null)
        {
            for (var r = 0; r < layer.Rows; r++)
                signal += LayerOutputError.QuadraticForm(statistics.Hessians[r / layer.RowsPerGroup], new ReadOnlySpan<double>(matrix, r * layer.Columns, layer.Columns), layer.Columns);
        }
        var energy = matrix.Sum(v => v * v);
        var errors = SparsityAllocation.Levels.Select(level =>
        {
            var zeros = (long)Math.Round(matrix.Length * level, MidpointRounding.ToEven);
            var (pruned, loss) = LayerPruner.Prune(layer, matrix, statistics, factors, zeros);
            if (statistics is not null && signal > 0) return loss / signal;
            return energy > 0 ? matrix.Zip(pruned, (a, b) => (a - b) * (a - b)).Sum() / energy : 0;
        }).ToArray();
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{step.Name}: layer {layer.Name} sensitivity (sparsity: relative output error) {string.Join(", ", SparsityAllocation.Levels.Zip(errors, (s, e) => $"{s:0.##}: {e:G2}").Skip(1))}"));
        return errors;
    }
}
