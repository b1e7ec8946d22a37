using System.Globalization;
using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Opsets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// Compresses each candidate, measures them all against the original in one run, scores them by the objective L,
/// checks the budgets, and keeps the best candidate that meets every budget (the best overall when none does, so
/// it can still be written out and inspected).
/// </summary>
public static class ModelSelection
{
    /// <param name="modelName">The model's file name, for the report and messages.</param>
    /// <param name="original">The float model; it is not modified.</param>
    /// <param name="originalBytes">The model's bytes as stored, the size S0 is measured on.</param>
    /// <param name="candidates">The recipes to try, in the order they are reported.</param>
    /// <param name="request">Data, budgets, weights and measuring settings.</param>
    /// <param name="searchExclusions">Add a static int8 candidate that keeps the worst layers in float (auto).</param>
    /// <param name="progress">Receives a line per step.</param>
    public static SelectionResult Run(string modelName, ModelProto original, byte[] originalBytes, IReadOnlyList<Candidate> candidates,
        SelectionRequest request, bool searchExclusions, IProgress<string>? progress = null)
    {
        var warnings = new List<CompressionWarning>();
        var compressed = new List<(Candidate Candidate, CompressionResult Result)>();
        foreach (var candidate in candidates)
        {
            if (TryCompress(original, candidate, request, warnings, progress) is { } result)
                compressed.Add((AsApplied(candidate, result), result));
        }
        var diagnosisInputs = request.Evaluation.Inputs.Take(request.DiagnosisInputs).ToList();
        if (searchExclusions && compressed.FirstOrDefault(c => c.Candidate.Recipe.IsOnly(RecipeSteps.Int8)) is { Candidate: not null } firstStatic)
        {
            var ranked = LayerDiagnosis.Rank(original, firstStatic.Result.Model, diagnosisInputs);
            // At least one layer stays quantized, or the candidate would be the float model again.
            var worst = ranked.Take(Math.Min(request.ExcludedWorstLayers, ranked.Count - 1)).ToList();
            if (worst.Count > 0)
            {
                var excluded = firstStatic.Candidate with
                {
                    Name = $"{firstStatic.Candidate.Name} without {string.Join(", ", worst.Select(l => l.NodeName))}",
                    ExcludedNodes = worst.Select(l => l.NodeName).Concat(firstStatic.Candidate.ExcludedNodes).ToHashSet(StringComparer.Ordinal),
                };
                if (TryCompress(original, excluded, request, warnings, progress) is { } result)
                    compressed.Add((excluded, result));
            }
        }
        if (compressed.Count == 0)
            throw new CompressionException(DiagnosticCodes.NoCandidate, modelName,
                $"no candidate could be compressed: expected at least one of {string.Join(", ", candidates.Select(c => c.Name))} to apply, found {string.Join("; ", warnings.Select(w => w.Message))}");

        // The stored form (a container for +huffman recipes): S, the size budget and L are about what ships.
        var bytes = compressed.Select(c => c.Result.StoredBytes()).ToList();
        // Recipes that leave a model alike (an already quantized model passes through each) are one candidate: only
        // latency noise would tell identical models apart, and a choice made on noise explains nothing.
        var merged = new List<string>();
        for (var i = compressed.Count - 1; i > 0; i--)
        {
            var same = bytes.FindIndex(earlier => earlier.AsSpan().SequenceEqual(bytes[i]));
            if (same == i) continue;
            // Candidates that all passed the model through are one 'none': nothing to explain.
            if (compressed[i].Candidate.Name != compressed[same].Candidate.Name)
                merged.Insert(0, $"{compressed[i].Candidate.Name} produced the same model as {compressed[same].Candidate.Name}");
            compressed.RemoveAt(i);
            bytes.RemoveAt(i);
        }
        // The reference is measured last, interleaved with the others, on the same inputs.
        var measured = compressed.Select((c, i) => (c.Candidate.Name, bytes[i])).ToList();
        if (request.Reference is { } reference)
            measured.Add((reference.Name, reference.Bytes));
        var measurements = ModelComparison.Measure(originalBytes, measured, request.Evaluation, request.Comparison, progress);
        var originalMeasurement = measurements[0];
        var outcomes = compressed.Select((c, i) => new CandidateOutcome(c.Candidate, c.Result.Model, bytes[i], measurements[i + 1],
            Objective.Loss(request.Weights, originalMeasurement, measurements[i + 1]),
            BudgetCheck.Verdicts(request.Budget, originalMeasurement, measurements[i + 1])) { Scheme = c.Result.Scheme, Folding = c.Result.Folding }).ToList();
        warnings.AddRange(compressed.SelectMany(c => c.Result.Warnings).Distinct());

        var passing = outcomes.Where(o => o.MeetsBudgets).OrderBy(o => o.Loss).ToList();
        var chosen = passing.FirstOrDefault() ?? outcomes.OrderBy(o => o.Loss).First();
        var layers = LayerDiagnosis.Rank(original, chosen.Model, diagnosisInputs);
        progress?.Report($"chose {chosen.Candidate.Name} (L = {chosen.Loss.ToString("0.####", CultureInfo.InvariantCulture)})");
        var selection = new SelectionResult(modelName, originalMeasurement, outcomes, chosen, layers, request.Weights, request.Budget,
            Explain(outcomes, chosen, passing, request) + (merged.Count > 0 ? $" Merged: {string.Join("; ", merged)}." : ""), warnings)
        {
            Target = request.Settings.Target,
            MeasuredOn = InstructionSet.Current.Describe(),
            OriginalSparsity = Sparsity.SparsityMeter.Measure(original),
            ChosenSparsity = Sparsity.SparsityMeter.Measure(chosen.Model),
            OriginalCosts = diagnosisInputs.Count == 0 ? [] : StructuredPruning.LayerCost.Measure(original, diagnosisInputs[0]),
            ChosenCosts = diagnosisInputs.Count == 0 ? [] : StructuredPruning.LayerCost.Measure(chosen.Model, diagnosisInputs[0]),
            Reference = request.Reference is null ? null : measurements[^1],
        };
        return selection with { Warnings = [.. warnings, .. MeasurementWarnings.For(selection, request, InstructionSet.Current)] };
    }

    /// <summary>The candidate under the recipe that really ran (an already quantized model passes through as
    /// <c>none</c>), so the report, the choice and the description name what was done, not what was asked.</summary>
    private static Candidate AsApplied(Candidate candidate, CompressionResult result) =>
        result.AppliedRecipe is { } applied && applied != candidate.Recipe ? Candidate.Of(applied) : candidate;

    /// <summary>The candidate compressed and run once on the first evaluation input, or null (with MB2003) when
    /// either fails: one recipe failing on an unusual model must not stop the search over the others.</summary>
    private static CompressionResult? TryCompress(ModelProto original, Candidate candidate, SelectionRequest request,
        List<CompressionWarning> warnings, IProgress<string>? progress)
    {
        progress?.Report($"compressing candidate {candidate.Name}");
        try
        {
            var int8 = request.Settings.Int8;
            var settings = candidate.ExcludedNodes.Count == 0 ? request.Settings
                : request.Settings with { Int8 = int8 with { ExcludeNodes = int8.ExcludeNodes.Concat(candidate.ExcludedNodes).ToHashSet(StringComparer.Ordinal) } };
            var result = ModelCompressor.Compress(original, candidate.Recipe, settings, progress);
            // ONNX Runtime may refuse a candidate only when it runs (a shape folded at load, a kernel missing):
            // found here, it is left out instead of failing the measurement of all of them.
            using var runner = ModelRunner.Open(OnnxModelFile.ToBytes(result.Model));
            if (request.Evaluation.Inputs.Count > 0)
                runner.Run(request.Evaluation.Inputs[0]);
            return result;
        }
        catch (Exception e) when (e is OpsetUpgradeException or NotSupportedException or ArgumentException or OnnxRuntimeException)
        {
            // The report says why.
            warnings.Add(new CompressionWarning(DiagnosticCodes.CandidateSkipped, $"candidate {candidate.Name} was skipped: {FirstLine(e.Message).TrimEnd('.')}"));
            return null;
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static string Explain(IReadOnlyList<CandidateOutcome> outcomes, CandidateOutcome chosen, IReadOnlyList<CandidateOutcome> passing, SelectionRequest request)
    {
        var culture = CultureInfo.InvariantCulture;
        var m = chosen.Measurement;
        var what = string.Create(culture,
            $"{chosen.Candidate.Name} has L = {chosen.Loss:0.####} (weights {request.Weights}): stored {m.StoredBytes:N0} bytes, {m.Metric.ShortName()} {m.Accuracy:P2}, {m.LatencyMilliseconds:0.###} ms per input");
        if (outcomes.Count == 1)
            return chosen.MeetsBudgets ? $"Only {chosen.Candidate.Name} was tried and it meets every budget. {what}." : $"Only {chosen.Candidate.Name} was tried and it misses a budget. {what}.";
        if (passing.Count == 0)
            return $"No candidate meets every budget; the one with the lowest L is written for inspection. {what}.";
        var budgets = request.Budget.IsEmpty ? "there are no budgets" : $"{passing.Count} of {outcomes.Count} candidates meet every budget";
        var runnerUp = passing.Skip(1).FirstOrDefault() ?? outcomes.Where(o => o != chosen).OrderBy(o => o.Loss).First();
        var failedBetter = outcomes.Where(o => !o.MeetsBudgets && o.Loss < chosen.Loss).Select(o => o.Candidate.Name).ToList();
        var excluded = failedBetter.Count > 0 ? $" {string.Join(", ", failedBetter)} scored lower but missed a budget." : "";
        return string.Create(culture,
            $"Chosen: {chosen.Candidate.Name}, the lowest L among the candidates allowed ({budgets}). {what}. Next: {runnerUp.Candidate.Name} with L = {runnerUp.Loss:0.####}.{excluded}");
    }
}
