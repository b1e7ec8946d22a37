using System.Diagnostics;
using System.Globalization;
using ModelBuild.Compression;
using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;

namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>
/// The cost of one compression in a fresh child process (this program with <c>--probe-compression</c>), so the models,
/// sessions and data of the rest of the benchmark are not in its peak working set: the child loads the model and its
/// calibration inputs, compresses, and prints its CPU time and peak working set. For <c>auto</c> (a zoo classifier) it
/// runs the whole search as the CLI does, on the labeled inputs that do not calibrate, under a 1-point budget, and also
/// prints the recipe chosen and how many candidates were measured.
/// </summary>
public static class CompressionCostProbe
{
    public const string Argument = "--probe-compression";
    private const string CpuPrefix = "cpu-seconds=";
    private const string PeakPrefix = "peak-working-set-bytes=";
    private const string ChosenPrefix = "chosen=";
    private const string CandidatesPrefix = "candidates=";

    public static int RunChild(string[] args)
    {
        var subject = ZooSubjects.All().Single(s => s.Name == args[1]);
        var model = OnnxModelFile.Load(subject.ModelPath);
        var settings = new CompressionSettings { CalibrationInputs = subject.CalibrationInputs(), Int8 = subject.Int8Options };
        if (args[2] == RecipeSteps.Auto)
        {
            var classifier = new[] { ZooModels.Mnist, ZooModels.FashionMnist, ZooModels.Cifar10ResNet20, ZooModels.FamilyBnCnnPruned }.Single(m => m.Name == subject.Name);
            var scored = classifier.LabeledSet.Where((_, i) => !ZooSubjects.Calibrates(i)).ToList();
            var evaluation = new Dataset(scored.Select(s => s.Input).ToList(), scored.Select((_, i) => $"{subject.Name}[{i}]").ToList(), scored.Select(s => s.Label).ToList());
            var request = new SelectionRequest(evaluation, settings) { Budget = BudgetParser.Parse("1pt", null, null, subject.ModelPath) };
            var result = ModelSelection.Run(Path.GetFileName(subject.ModelPath), model, File.ReadAllBytes(subject.ModelPath), AutoCandidates.For(settings), request, searchExclusions: true);
            Console.WriteLine(ChosenPrefix + result.Chosen.Candidate.Name);
            Console.WriteLine(CandidatesPrefix + result.Outcomes.Count.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            _ = ModelCompressor.Compress(model, Recipe.Parse(args[2]), settings).StoredBytes();
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(CpuPrefix + self.TotalProcessorTime.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        Console.WriteLine(PeakPrefix + self.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    public static CompressionCost Measure(string subject, string recipe)
    {
        var output = MemoryProbe.RunSelf([Argument, subject, recipe]);
        var what = $"{subject} {recipe}";
        var cost = new CompressionCost(recipe,
            double.Parse(MemoryProbe.ResultOf(output, CpuPrefix, what), CultureInfo.InvariantCulture),
            long.Parse(MemoryProbe.ResultOf(output, PeakPrefix, what), CultureInfo.InvariantCulture));
        return recipe == RecipeSteps.Auto
            ? cost with { Chosen = MemoryProbe.ResultOf(output, ChosenPrefix, what), Candidates = int.Parse(MemoryProbe.ResultOf(output, CandidatesPrefix, what), CultureInfo.InvariantCulture) }
            : cost;
    }
}
