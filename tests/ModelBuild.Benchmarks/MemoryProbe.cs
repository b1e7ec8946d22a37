using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;

namespace ModelBuild.Benchmarks;

/// <summary>
/// Peak memory of one variant, measured in a fresh child process (this program re-invoked with
/// <c>--probe-memory</c>), so variants measured earlier leave nothing behind in the number.
/// </summary>
public static class MemoryProbe
{
    public const string Argument = "--probe-memory";
    private const string ResultPrefix = "peak-working-set-bytes=";

    /// <summary>Child side: opens the model (if any), runs one zero input of the given shape, prints its peak working set.</summary>
    public static int RunChild(string[] args)
    {
        _ = OrtEnv.Instance();
        if (args.Length == 3)
        {
            // A container is decoded first, as the generated class does: its peak includes the decoding.
            using var runner = ModelRunner.Open(ModelBuild.Runtime.Packing.ModelContainer.DecodeIfContainer(File.ReadAllBytes(args[1])));
            var shape = args[2].Split(',').Select(dimension => long.Parse(dimension, CultureInfo.InvariantCulture)).ToArray();
            runner.Run(new ImageTensor(new float[shape.Aggregate(1L, (a, b) => a * b)], shape));
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(ResultPrefix + self.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Parent side: the child's peak working set in bytes, for a model file and input shape, or for no model at all.</summary>
    public static long Measure(string? modelPath, IReadOnlyList<long>? inputShape)
    {
        var arguments = new List<string> { Argument };
        if (modelPath is not null && inputShape is not null)
        {
            arguments.Add(modelPath);
            arguments.Add(string.Join(",", inputShape));
        }
        return long.Parse(ResultOf(RunSelf(arguments), ResultPrefix, modelPath ?? "no model"), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs this program again with <paramref name="arguments"/> and returns what it printed; throws when it failed.</summary>
    public static string RunSelf(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the benchmark cannot find its own executable");
        start.FileName = host;
        // Under `dotnet ModelBuild.Benchmarks.dll` the process is the dotnet host, which needs the assembly again.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(MemoryProbe).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        var errors = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(" ", arguments)} exited with {child.ExitCode}: {output}{errors.Result}");
        return output;
    }

    /// <summary>The value after <paramref name="prefix"/> on a line of a child's <paramref name="output"/>.</summary>
    public static string ResultOf(string output, string prefix, string what)
    {
        var line = output.Split('\n').Select(text => text.Trim()).FirstOrDefault(text => text.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? throw new InvalidOperationException($"the probe for {what} printed no '{prefix}': {output}") : line[prefix.Length..];
    }
}
