using System.Numerics.Tensors;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.SecondOrder;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Runs the model on calibration inputs with the consumers' inputs exposed as outputs and gathers their
/// <see cref="LayerInputStatistics"/>: a Conv's input unfolded into kernel patches (im2col; at most
/// <see cref="MaxPatchesPerInput"/> positions per input, evenly spread), a Gemm's or MatMul's input rows. Memory is the
/// statistics alone (a layer wider than <see cref="MaxMomentColumns"/> columns gets means only); per input, one patch
/// block.
/// </summary>
internal static class LayerInputCollector
{
    public const int MaxMomentColumns = 1200;
    public const int MaxPatchesPerInput = 256;

    /// <param name="model">The model whose layers are to be re-fitted.</param>
    /// <param name="layers">Its layers (nodes of <paramref name="model"/>).</param>
    /// <param name="inputs">Calibration inputs.</param>
    /// <param name="original">When <paramref name="model"/> is already partly pruned, the original: the layers' inputs
    /// there (same value names) give the cross moments, so the re-fit matches the original's outputs, not the pruned ones.</param>
    /// <param name="maps">The layers' input channels: where a layer already lost some (another group read through a
    /// Concat), the original's value is cut to the channels it still has.</param>
    public static Dictionary<NodeProto, LayerInputStatistics> Collect(ModelProto model, IReadOnlyList<NodeProto> layers, IEnumerable<ImageTensor> inputs, ModelProto? original = null, IReadOnlyDictionary<NodeProto, ChannelMap>? maps = null)
    {
        var byName = layers.Select(l => l.Input[0]).Distinct().ToList();
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var statistics = new Dictionary<NodeProto, LayerInputStatistics>(NodeIdentity.Comparer);
        foreach (var layer in layers)
        {
            var weight = initializers[layer.Input[1]];
            var axis = ChannelRemover.InputAxis(layer);
            // A grouped Conv is unfolded as if it read every channel (its weight block-diagonal): each slice's columns in turn.
            var columns = (int)weight.Dims[axis] * ChannelRemover.Groups(layer);
            var kernel = 1;
            if (layer.OpType == "Conv")
            {
                kernel = (int)weight.Dims.Skip(2).Aggregate(1L, (a, b) => a * b);
                columns *= kernel;
            }
            var geometry = layer.OpType == "Conv" ? ConvGeometry.Of(layer, weight) : null;
            statistics[layer] = new LayerInputStatistics(columns, kernel, withMoments: columns <= MaxMomentColumns && (layer.OpType != "Conv" || geometry is not null), againstOriginal: original is not null)
            {
                Geometry = geometry,
            };
        }

        using var runner = new ExposedValueRunner(model, byName);
        using var originalRunner = original is null ? null : new ExposedValueRunner(original, byName);
        foreach (var input in inputs)
        {
            var values = Observe(runner, input);
            var originalValues = originalRunner is null ? null : Observe(originalRunner, input);
            for (var o = 0; o < byName.Count; o++)
            {
                foreach (var layer in layers.Where(l => l.Input[0] == byName[o]))
                {
                    var block = Block(statistics[layer], layer, values[o]);
                    var originalBlock = originalValues is null ? null : Block(statistics[layer], layer, StillRead(originalValues[o], maps?.GetValueOrDefault(layer)));
                    Add(statistics[layer], block, originalBlock);
                }
            }
        }
        foreach (var s in statistics.Values) s.Normalize();
        return statistics;
    }

    // Each observed value of one input, in the runner's order.
    private static (float[] Data, long[] Shape)[] Observe(ExposedValueRunner runner, ImageTensor input)
    {
        var values = new (float[] Data, long[] Shape)[runner.Names.Count];
        runner.Run(input, (index, data, shape) => values[index] = (data.ToArray(), shape));
        return values;
    }

    // The original's value cut to the channels the layer still reads (each channel a run of features after a Flatten).
    private static (float[] Data, long[] Shape) StillRead((float[] Data, long[] Shape) value, ChannelMap? map)
    {
        if (map?.Origins is not { } origins) return value;
        var perChannel = (int)(value.Shape[1] / map.OriginalCount);
        var (shape, data) = ChannelRemover.SelectAlong(value.Shape, value.Data, 1, perChannel == 1 ? origins : ChannelRemover.Expand(origins, perChannel));
        return (data, shape);
    }

    // The samples of one input as a column-major block (columns, then the constant 1).
    private static float[][] Block(LayerInputStatistics statistics, NodeProto layer, (float[] Data, long[] Shape) value) =>
        layer.OpType == "Conv" ? ConvBlock(statistics, value.Data, value.Shape) : RowBlock(statistics, value.Data);

    // Rows of a 2-D input: each row one sample of the columns.
    private static float[][] RowBlock(LayerInputStatistics statistics, ReadOnlySpan<float> data)
    {
        var columns = statistics.Columns;
        var rows = data.Length / columns;
        var block = new float[columns + 1][];
        for (var c = 0; c <= columns; c++) block[c] = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++) block[c][r] = data[(r * columns) + c];
            block[columns][r] = 1;
        }
        return block;
    }

    private static float[][] ConvBlock(LayerInputStatistics statistics, float[] data, long[] shape)
    {
        var channels = (int)shape[1];
        var kernel = statistics.KernelSize;
        if (shape.Length != 4 || statistics.Moments is null || statistics.Geometry is not { } geometry)
        {
            // Each position is a sample of every kernel column of its channel (what means and mean compensation need).
            var spatial = data.Length / channels;
            var samples = new float[statistics.Columns + 1][];
            for (var c = 0; c < channels; c++)
            {
                var plane = data.AsSpan(c * spatial, spatial).ToArray();
                for (var k = 0; k < kernel; k++) samples[(c * kernel) + k] = plane;
            }
            samples[statistics.Columns] = Enumerable.Repeat(1f, spatial).ToArray();
            return samples;
        }
        var height = (int)shape[2];
        var width = (int)shape[3];
        var (padTop, padLeft, padBottom, padRight) = geometry.Pads(height, width);
        var outputHeight = ConvGeometry.OutputSize(height, geometry.KernelHeight, geometry.StrideY, geometry.DilationY, padTop, padBottom);
        var outputWidth = ConvGeometry.OutputSize(width, geometry.KernelWidth, geometry.StrideX, geometry.DilationX, padLeft, padRight);
        var positions = outputHeight * outputWidth;
        var step = Math.Max(1, (positions + MaxPatchesPerInput - 1) / MaxPatchesPerInput);
        var taken = (positions + step - 1) / step;
        var block = new float[statistics.Columns + 1][];
        for (var c = 0; c <= statistics.Columns; c++) block[c] = new float[taken];
        for (int p = 0, row = 0; p < positions; p += step, row++)
        {
            var oy = p / outputWidth;
            var ox = p % outputWidth;
            for (var c = 0; c < channels; c++)
            {
                for (var ky = 0; ky < geometry.KernelHeight; ky++)
                {
                    var y = (oy * geometry.StrideY) - padTop + (ky * geometry.DilationY);
                    for (var kx = 0; kx < geometry.KernelWidth; kx++)
                    {
                        var x = (ox * geometry.StrideX) - padLeft + (kx * geometry.DilationX);
                        var column = (c * kernel) + (ky * geometry.KernelWidth) + kx;
                        block[column][row] = y >= 0 && y < height && x >= 0 && x < width ? data[(((c * height) + y) * width) + x] : 0;
                    }
                }
            }
            block[statistics.Columns][row] = 1;
        }
        return block;
    }

    // Sums of one block of samples (column-major) into the statistics; the original's block, when given, into the cross moments.
    private static void Add(LayerInputStatistics statistics, float[][] block, float[][]? original)
    {
        var columns = statistics.Columns;
        for (var c = 0; c < columns; c++)
        {
            statistics.Mean[c] += TensorPrimitives.Sum(block[c]);
            statistics.SecondMoment[c] += TensorPrimitives.SumOfSquares(block[c]);
            statistics.OriginalMean[c] += TensorPrimitives.Sum((original ?? block)[c]);
        }
        statistics.Samples += block[columns].Length;
        if (statistics.Moments is not { } moments) return;
        var order = columns + 1;
        for (var i = 0; i < order; i++)
        {
            for (var j = i; j < order; j++) moments[(i * order) + j] += TensorPrimitives.Dot(block[i], block[j]);
        }
        if (statistics.Cross is not { } cross || original is null) return;
        for (var i = 0; i < order; i++)
        {
            for (var j = 0; j < order; j++) cross[(i * order) + j] += TensorPrimitives.Dot(block[i], original[j]);
        }
    }
}
