using System.Diagnostics;
using ModelBuild.Benchmarks;
using ModelBuild.Benchmarks.AutoSelection;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

if (args.Length > 0 && args[0] == MemoryProbe.Argument)
    return MemoryProbe.RunChild(args);

if (!Zoo.IsPresent)
{
    Console.Error.WriteLine($"{Zoo.Root}: error: the benchmarks {Zoo.MissingReason}.");
    return 1;
}

var startedUtc = DateTime.UtcNow;
var loadAtStart = LoadAverage.Read();
var stopwatch = Stopwatch.StartNew();
var scratch = Directory.CreateTempSubdirectory("modelbuild-benchmarks-");
try
{
    var runtimeOnlyPeak = MemoryProbe.Measure(null, null);
    var results = new List<VariantResult>();
    foreach (var subject in ZooSubjects.All())
        results.AddRange(SubjectBenchmark.Run(subject, scratch.FullName, Console.Out));

    var benchmarksFolder = Path.Combine(Zoo.RepoRoot, "tests", "ModelBuild.Benchmarks");
    var auto = FashionMnistAutoBenchmark.Run(benchmarksFolder, Console.Out);

    var markdown = ResultsWriter.Render(results, startedUtc, stopwatch.Elapsed, runtimeOnlyPeak, loadAtStart) + AutoSelectionSection.Render(auto);
    var resultsPath = Path.Combine(benchmarksFolder, "RESULTS.md");
    OnnxModelFile.WriteAllBytesAtomic(resultsPath, System.Text.Encoding.UTF8.GetBytes(markdown));
    Console.WriteLine(markdown);
    Console.WriteLine($"written: {resultsPath}");
    return 0;
}
finally
{
    scratch.Delete(recursive: true);
}
