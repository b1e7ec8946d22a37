using System.Diagnostics;
using System.Globalization;
using ModelBuild.Compression;
using ModelBuild.Onnx;

namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>
/// The cost of one compression in a fresh child process (this program with <c>--probe-compression</c>), so the models,
/// sessions and data of the rest of the benchmark are not in its peak working set: the child loads the model and its
/// calibration inputs, compresses, and prints its CPU time and peak working set.
/// </summary>
public static class CompressionCostProbe
{
    public const string Argument = "--probe-compression";
    private const string CpuPrefix = "cpu-seconds=";
    private const string PeakPrefix = "peak-working-set-bytes=";

    public static int RunChild(string[] args)
    {
        var subject = ZooSubjects.All().Single(s => s.Name == args[1]);
        var model = OnnxModelFile.Load(subject.ModelPath);
        var settings = new CompressionSettings { CalibrationInputs = subject.CalibrationInputs(), Int8 = subject.Int8Options };
        _ = ModelCompressor.Compress(model, Recipe.Parse(args[2]), settings).StoredBytes();
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
        return new CompressionCost(recipe,
            double.Parse(MemoryProbe.ResultOf(output, CpuPrefix, what), CultureInfo.InvariantCulture),
            long.Parse(MemoryProbe.ResultOf(output, PeakPrefix, what), CultureInfo.InvariantCulture));
    }
}
