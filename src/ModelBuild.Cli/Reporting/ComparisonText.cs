using ModelBuild.Compression.Comparison;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Cli.Reporting;

/// <summary>The output of <c>modelbuild evaluate</c>: the two models side by side, then the layers worst first.</summary>
public static class ComparisonText
{
    public static void Write(TextWriter output, ModelMeasurement original, ModelMeasurement compressed, IReadOnlyList<LayerNoise> layers)
    {
        output.WriteLine($"inputs: {original.EvaluatedInputs}; accuracy: {AccuracyName(original)}");
        output.WriteLine($"{"",-20} {"original",16} {"compressed",16} {"ratio",8}");
        output.WriteLine($"{"accuracy",-20} {Percent(original.Accuracy),16} {Percent(compressed.Accuracy),16} {"",8}");
        if (original.Top5 is { } top5 && compressed.Top5 is { } compressedTop5)
            output.WriteLine($"{"top-5",-20} {Percent(top5),16} {Percent(compressedTop5),16} {"",8}");
        output.WriteLine($"{"latency ms (median)",-20} {Milliseconds(original.LatencyMilliseconds),16} {Milliseconds(compressed.LatencyMilliseconds),16} {Ratio(compressed.LatencyMilliseconds, original.LatencyMilliseconds),8}");
        output.WriteLine($"{"stored bytes",-20} {Bytes(original.StoredBytes),16} {Bytes(compressed.StoredBytes),16} {Ratio(compressed.StoredBytes, original.StoredBytes),8}");
        output.WriteLine($"{"in-memory bytes",-20} {Bytes(original.MemoryBytes),16} {Bytes(compressed.MemoryBytes),16} {Ratio(compressed.MemoryBytes, original.MemoryBytes),8}");
        output.WriteLine("layers by SQNR, worst first:");
        foreach (var layer in layers)
            output.WriteLine($"  {layer.NodeName,-32} {layer.OperatorType,-14} {Sqnr(layer.SqnrDecibels)}");
    }
}
