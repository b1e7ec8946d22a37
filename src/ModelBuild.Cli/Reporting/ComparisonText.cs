using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Reporting;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Cli.Reporting;

/// <summary>The output of <c>modelbuild evaluate</c>: the two models side by side, then the layers worst first.</summary>
public static class ComparisonText
{
    public static void Write(TextWriter output, ModelMeasurement original, ModelMeasurement compressed, IReadOnlyList<LayerNoise> layers)
    {
        output.WriteLine($"inputs: {original.EvaluatedInputs}; accuracy: {AccuracyName(original)}");
        output.WriteLine($"{"",-20} {"original",16} {"compressed",16} {"ratio",8}");
        // One row per accuracy figure, named after the metric: top-1 / top-5, or character accuracy / CER / ...
        foreach (var (header, value) in AccuracyColumns.For(original.Metric))
        {
            if (value(original).Length > 0)
                output.WriteLine($"{header,-20} {value(original),16} {value(compressed),16} {"",8}");
        }
        output.WriteLine($"{"latency ms (median)",-20} {Milliseconds(original.LatencyMilliseconds),16} {Milliseconds(compressed.LatencyMilliseconds),16} {Ratio(compressed.LatencyMilliseconds, original.LatencyMilliseconds),8}");
        output.WriteLine($"{"stored bytes",-20} {Bytes(original.StoredBytes),16} {Bytes(compressed.StoredBytes),16} {Ratio(compressed.StoredBytes, original.StoredBytes),8}");
        output.WriteLine($"{"in-memory bytes",-20} {Bytes(original.MemoryBytes),16} {Bytes(compressed.MemoryBytes),16} {Ratio(compressed.MemoryBytes, original.MemoryBytes),8}");
        output.WriteLine("layers by SQNR, worst first:");
        foreach (var layer in layers)
            output.WriteLine($"  {layer.NodeName,-32} {layer.OperatorType,-14} {Sqnr(layer.SqnrDecibels)}");
    }
}
