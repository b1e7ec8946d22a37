using System.Diagnostics;
using ModelBuild.Compression;
using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;

namespace ModelBuild.Benchmarks.AutoSelection;

/// <summary>
/// Runs <c>auto</c> on the Fashion-MNIST CNN through the same library calls as <c>modelbuild compress --recipe auto</c>
/// (<see cref="AutoCandidates"/>, <see cref="ModelSelection"/>, <see cref="ReportFiles"/>), so the table in RESULTS.md
/// is what a user's build would choose and report.
/// </summary>
public static class FashionMnistAutoBenchmark
{
    /// <summary>The budget of issue 3: at most 1 percentage point of top-1 lost.</summary>
    public const string MaxAccuracyDrop = "1pt";

    /// <summary>
    /// The first inputs of the scored set (test set minus the calibration inputs): enough for a 1-point budget to mean
    /// something (one input is 0.02 points), few enough that every candidate runs on them in well under a minute here.
    /// </summary>
    public const int EvaluationCount = 5000;

    public const string ReportFileName = "auto-fashion-mnist.report.md";

    public static AutoSelectionRun Run(string outputFolder, TextWriter log)
    {
        var stopwatch = Stopwatch.StartNew();
        var model = ZooModels.FashionMnist;
        var labeled = model.LabeledSet;
        // Calibration and scoring are disjoint, as in the int8 rows: every CalibrationStride-th input calibrates.
        var calibration = labeled.Where((_, i) => ZooSubjects.Calibrates(i)).Select(sample => sample.Input).ToList();
        var scored = labeled.Where((_, i) => !ZooSubjects.Calibrates(i)).Take(EvaluationCount).ToList();
        var evaluation = new Dataset(
            scored.Select(sample => sample.Input).ToList(),
            scored.Select((_, i) => $"t10k[{i}]").ToList(),
            scored.Select(sample => sample.Label).ToList());

        var settings = new CompressionSettings { CalibrationInputs = calibration };
        var request = new SelectionRequest(evaluation, settings)
        {
            Budget = BudgetParser.Parse(MaxAccuracyDrop, null, null, model.ModelPath),
        };
        var original = OnnxModelFile.Load(model.ModelPath);
        var progress = new Progress<string>(line => log.WriteLine($"{model.Name} auto: {line}"));
        log.WriteLine($"{model.Name} auto: {calibration.Count} calibration inputs, {evaluation.Count} evaluation inputs, budget MaxAccuracyDrop {MaxAccuracyDrop}");
        var result = ModelSelection.Run(Path.GetFileName(model.ModelPath), original, File.ReadAllBytes(model.ModelPath),
            AutoCandidates.For(settings), request, searchExclusions: true, progress);

        var markdownPath = Path.Combine(outputFolder, ReportFileName);
        var htmlPath = ReportFiles.Write(result, markdownPath);
        return new AutoSelectionRun(result, calibration.Count, evaluation.Count, markdownPath, htmlPath, stopwatch.Elapsed);
    }
}
