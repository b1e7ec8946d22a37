using System.Diagnostics;
using ModelBuild.Benchmarks;
using ModelBuild.Benchmarks.AutoSelection;
using ModelBuild.Benchmarks.SizeAccuracy;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

if (args.Length > 0 && args[0] == MemoryProbe.Argument)
    return MemoryProbe.RunChild(args);
if (args.Length is 2 or 3 && args[0] == FirstDecodeProbe.Argument)
    return FirstDecodeProbe.RunChild(args);
if (args.Length == 3 && args[0] == CompressionCostProbe.Argument)
    return CompressionCostProbe.RunChild(args);

if (!Zoo.IsPresent)
{
    Console.Error.WriteLine($"{Zoo.Root}: error: the benchmarks {Zoo.MissingReason}.");
    return 1;
}

// `--container [name,name]` measures the model container alone (ContainerBenchmark), prints its table and, for
// every model, writes it to CONTAINER.md.
if (args.Length is 1 or 2 && args[0] == "--container")
{
    var names = args.Length == 2 ? args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    if (names?.Except(ContainerBenchmark.Names()).FirstOrDefault() is { } unknown)
    {
        Console.Error.WriteLine($"modelbuild-benchmarks: error: unknown model '{unknown}'. Expected names among {string.Join(", ", ContainerBenchmark.Names())}.");
        return 2;
    }
    var folder = Directory.CreateTempSubdirectory("modelbuild-container-");
    try
    {
        var header = $"`dotnet run -c Release --project tests/ModelBuild.Benchmarks -- --container{(names is null ? "" : " " + args[1])}`, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; instruction set: {string.Join(" ", CpuFeatures())}; ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}; {Environment.ProcessorCount} cores; load average at start {LoadAverage.Read()}";
        var table = ContainerBenchmark.Render(ContainerBenchmark.Run(names, folder.FullName, Console.Out));
        var markdown = $"# Model container against its goals\n\n{header}; at end {LoadAverage.Read()}.\n\n{table}";
        Console.WriteLine(markdown);
        // Only a run of every model replaces the file: it records whole runs.
        if (names is null) File.WriteAllText(Path.Combine(Zoo.RepoRoot, "tests", "ModelBuild.Benchmarks", "CONTAINER.md"), markdown);
        else Console.WriteLine("not written to CONTAINER.md: only some models were measured");
        return 0;
    }
    finally
    {
        folder.Delete(recursive: true);
    }
}

// `--structured [name,name [recipe;recipe]]` measures prune-channels (StructuredPruningBenchmark) and writes
// STRUCTURED.md when all models and recipes ran.
if (args.Length is 1 or 2 or 3 && args[0] == StructuredPruningBenchmark.Argument)
{
    var names = args.Length >= 2 ? args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    var recipes = args.Length == 3 ? args[2].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    if (names?.Except(StructuredPruningBenchmark.Names()).FirstOrDefault() is { } unknown)
    {
        Console.Error.WriteLine($"modelbuild-benchmarks: error: unknown model '{unknown}'. Expected names among {string.Join(", ", StructuredPruningBenchmark.Names())}.");
        return 2;
    }
    return StructuredPruningBenchmark.Run(names, recipes, Console.Out);
}

// `--family` measures every fashion-mnist-family model with its useful recipes and writes FAMILY.md.
if (args is [FamilyBenchmark.Argument])
{
    var markdown = FamilyBenchmark.Run(Console.Out);
    var path = Path.Combine(Zoo.RepoRoot, "tests", "ModelBuild.Benchmarks", FamilyBenchmark.FileName);
    OnnxModelFile.WriteAllBytesAtomic(path, System.Text.Encoding.UTF8.GetBytes(markdown));
    Console.WriteLine(markdown);
    Console.WriteLine($"written: {path}");
    return 0;
}

// `--obs [recipe;recipe]` measures the second-order steps (prune, int4, int3) and writes OBS.md.
if (args.Length is 1 or 2 && args[0] == ObsBenchmark.Argument)
{
    var recipes = args.Length == 2 ? args[1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : ObsBenchmark.DefaultRecipes;
    Console.WriteLine($"written: {ObsBenchmark.Run(recipes, Console.Out)}");
    return 0;
}

// `--compression [name,name]`: every step combination against issue 11's goals; writes COMPRESSION.md and COMPRESSION.html.
if (args.Length is 1 or 2 && args[0] == CompressionBenchmark.Argument)
{
    var names = args.Length == 2 ? args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    if (names?.Except(CompressionBenchmark.Names()).FirstOrDefault() is { } unknown)
    {
        Console.Error.WriteLine($"modelbuild-benchmarks: error: unknown model '{unknown}'. Expected names among {string.Join(", ", CompressionBenchmark.Names())}.");
        return 2;
    }
    var started = DateTime.UtcNow;
    var load = LoadAverage.Read();
    var clock = Stopwatch.StartNew();
    var compression = CompressionBenchmark.Run(names, Console.Out);
    var markdown = CompressionReport.Markdown(compression, started, clock.Elapsed, load);
    var folder = Path.Combine(Zoo.RepoRoot, "tests", "ModelBuild.Benchmarks");
    OnnxModelFile.WriteAllBytesAtomic(Path.Combine(folder, "COMPRESSION.md"), System.Text.Encoding.UTF8.GetBytes(markdown));
    OnnxModelFile.WriteAllBytesAtomic(Path.Combine(folder, "COMPRESSION.html"), System.Text.Encoding.UTF8.GetBytes(CompressionReport.Html(compression)));
    Console.WriteLine($"instruction set: {string.Join(" ", CpuFeatures())}");
    Console.WriteLine(markdown);
    Console.WriteLine($"written: {Path.Combine(folder, "COMPRESSION.md")} and COMPRESSION.html");
    return 0;
}

if (args is [QatFoldingBenchmark.Argument])
{
    QatFoldingBenchmark.Run(Console.Out);
    return 0;
}

// `--subjects mnist,fashion-mnist` measures only those models and prints their rows; RESULTS.md is left alone,
// since it records whole runs.
var only = args.Length == 2 && args[0] == "--subjects" ? args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
if (args.Length > 0 && only is null)
{
    Console.Error.WriteLine($"modelbuild-benchmarks: error: unknown arguments '{string.Join(" ", args)}'. Expected none, --qat, --family, --obs [recipe;recipe], --structured [names [recipe;recipe]], --container [names], --compression [names], or --subjects <name,name> among {string.Join(", ", ZooSubjects.All().Select(s => s.Name))}.");
    return 2;
}
var subjects = ZooSubjects.All().Where(subject => only is null || only.Contains(subject.Name)).ToList();
if (only is not null && subjects.Count != only.Length)
{
    Console.Error.WriteLine($"modelbuild-benchmarks: error: unknown subject in '{args[1]}'. Expected names among {string.Join(", ", ZooSubjects.All().Select(s => s.Name))}.");
    return 2;
}

var startedUtc = DateTime.UtcNow;
var loadAtStart = LoadAverage.Read();
var stopwatch = Stopwatch.StartNew();
var scratch = Directory.CreateTempSubdirectory("modelbuild-benchmarks-");
try
{
    var runtimeOnlyPeak = MemoryProbe.Measure(null, null);
    var results = new List<VariantResult>();
    foreach (var subject in subjects)
        results.AddRange(SubjectBenchmark.Run(subject, scratch.FullName, Console.Out));
    if (only is not null)
    {
        Console.WriteLine(ResultsWriter.Render(results, startedUtc, stopwatch.Elapsed, runtimeOnlyPeak, loadAtStart));
        Console.WriteLine("not written to RESULTS.md: only some subjects were measured");
        return 0;
    }

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

static IEnumerable<string> CpuFeatures() =>
    File.ReadAllText("/proc/cpuinfo").Split([' ', '\t', '\n']).Where(flag => flag is "avx2" or "avx512_vnni" or "avx_vnni" or "amx_int8").Distinct().Order();
