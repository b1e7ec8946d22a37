using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// Runs the model in ONNX Runtime on the calibration inputs with each layer's input observed
/// (<see cref="ExposedValueRunner"/>), one input at a time, and folds each layer's
/// input columns into its <see cref="LayerStatistics"/>. Memory is the statistics alone: a layer wider than
/// <see cref="MaxColumns"/>, or one that would take the statistics past <see cref="MaxTotalBytes"/>, is left out and named.
/// </summary>
internal static class LayerStatisticsCollector
{
    /// <summary>
    /// An H of 8192 x 8192 doubles is 512 MB, and its inverse factor (computed in one more array of that size) takes
    /// about a minute on one core; wider layers are not repaired.
    /// </summary>
    public const int MaxColumns = 8192;

    /// <summary>All layers' statistics together stay below 1 GiB.</summary>
    public const long MaxTotalBytes = 1L << 30;

    public sealed record Collected(IReadOnlyDictionary<string, LayerStatistics> ByWeight, IReadOnlyList<string> Skipped);

    public static Collected Collect(ModelProto model, IReadOnlyList<LinearLayer> layers, IEnumerable<ImageTensor> inputs, string step, IProgress<string>? progress)
    {
        var statistics = new Dictionary<string, LayerStatistics>(StringComparer.Ordinal);
        var skipped = new List<string>();
        long total = 0;
        foreach (var layer in layers)
        {
            var bytes = LayerStatistics.BytesFor(layer);
            if (layer.Columns > MaxColumns || total + bytes > MaxTotalBytes)
            {
                skipped.Add($"{layer.Name} ({layer.Columns} inputs per output{(layer.Columns > MaxColumns ? $", more than {MaxColumns}" : ", past the 1 GiB the statistics may take")})");
                continue;
            }
            total += bytes;
            statistics[layer.WeightName] = new LayerStatistics(layer);
        }
        if (statistics.Count == 0)
            return new Collected(statistics, skipped);

        var names = statistics.Values.Select(s => s.Layer.InputName).Distinct(StringComparer.Ordinal).ToArray();
        using var runner = new ExposedValueRunner(model, names);
        var count = 0;
        foreach (var input in inputs)
        {
            runner.Run(input, (index, values, shape) =>
            {
                foreach (var layerStatistics in statistics.Values.Where(s => s.Layer.InputName == names[index]))
                    Accumulate(layerStatistics, values, shape);
            });
            count++;
            if (count % 100 == 0) progress?.Report($"{step}: layer input statistics from {count} calibration inputs");
        }
        if (count == 0)
            throw new ArgumentException($"'{step}' needs at least one calibration input; none were given", nameof(inputs));
        foreach (var layerStatistics in statistics.Values) layerStatistics.Complete();
        progress?.Report($"{step}: input statistics of {statistics.Count} layers from {count} calibration inputs" +
            (skipped.Count > 0 ? $"; not repaired (too wide to afford): {string.Join(", ", skipped)}" : ""));
        return new Collected(statistics, skipped);
    }

    private static void Accumulate(LayerStatistics statistics, ReadOnlySpan<float> values, long[] shape)
    {
        var layer = statistics.Layer;
        var column = new double[layer.Columns];
        if (layer.Conv is not { } conv)
        {
            // Gemm/MatMul: every row of the flattened input is one input column.
            if (shape.Length == 0 || shape[^1] != layer.Columns) return;
            for (var row = 0; row + layer.Columns <= values.Length; row += layer.Columns)
            {
                for (var i = 0; i < layer.Columns; i++) column[i] = values[row + i];
                statistics.Add(0, column);
                statistics.Next();
            }
            return;
        }
        if (shape.Length != 4 || shape[1] != (long)conv.InputChannelsPerGroup * layer.Groups) return;
        var (batch, height, width) = (checked((int)shape[0]), checked((int)shape[2]), checked((int)shape[3]));
        var (padTop, padLeft, padBottom, padRight) = conv.Pads(height, width);
        var outHeight = ConvGeometry.OutputSize(height, conv.KernelHeight, conv.StrideY, conv.DilationY, padTop, padBottom);
        var outWidth = ConvGeometry.OutputSize(width, conv.KernelWidth, conv.StrideX, conv.DilationX, padLeft, padRight);
        var plane = (long)height * width;
        for (var n = 0; n < batch; n++)
        for (var oy = 0; oy < outHeight; oy++)
        for (var ox = 0; ox < outWidth; ox++)
        {
            for (var g = 0; g < layer.Groups; g++)
            {
                var i = 0;
                for (var c = 0; c < conv.InputChannelsPerGroup; c++)
                {
                    var channelStart = checked((int)(((long)n * shape[1] * plane) + ((long)((g * conv.InputChannelsPerGroup) + c) * plane)));
                    for (var ky = 0; ky < conv.KernelHeight; ky++)
                    {
                        var y = (oy * conv.StrideY) - padTop + (ky * conv.DilationY);
                        for (var kx = 0; kx < conv.KernelWidth; kx++, i++)
                        {
                            var x = (ox * conv.StrideX) - padLeft + (kx * conv.DilationX);
                            column[i] = y >= 0 && y < height && x >= 0 && x < width ? values[channelStart + (y * width) + x] : 0;
                        }
                    }
                }
                statistics.Add(g, column);
            }
            statistics.Next();
        }
    }
}
