using ModelBuild.Compression.Data;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Clustering;

/// <summary><c>cluster:B</c> on small in-code models: values per group, determinism, zeros, the int8 grid, ONNX Runtime.</summary>
public sealed class WeightClusteringTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Every_float_layer_weight_takes_at_most_two_to_the_bits_values(int bits)
    {
        var original = ExtraModels.WideConv();

        var result = ModelCompressor.Compress(original, Recipe.Parse($"cluster:{bits}"));

        foreach (var name in new[] { "conv.weight", "fc.weight" })
        {
            var before = Floats(original, name).Distinct().Count();
            var after = Floats(result.Model, name).Distinct().Count();
            Assert.True(after <= 1 << bits, $"{name} has {after} distinct values after cluster:{bits}, at most {1 << bits} expected");
            Assert.True(before > 1 << bits, $"{name} had only {before} distinct values: the test would prove nothing");
        }
        // Biases (fewer than 256 values) are left as they are.
        Assert.Equal(Floats(original, "conv.bias"), Floats(result.Model, "conv.bias"));
    }

    [Fact]
    public void A_layer_the_user_excludes_keeps_its_weights()
    {
        var original = ExtraModels.WideConv();
        var settings = new CompressionSettings { Int8 = new() { ExcludeOps = new HashSet<string>(["Conv"], StringComparer.Ordinal) } };

        var result = ModelCompressor.Compress(original, Recipe.Parse("cluster:2"), settings);

        Assert.Equal(Floats(original, "conv.weight"), Floats(result.Model, "conv.weight"));
        Assert.True(Floats(result.Model, "fc.weight").Distinct().Count() <= 4, "fc.weight is clustered all the same");
    }

    [Fact]
    public void The_same_model_clusters_to_the_same_bytes_on_every_run()
    {
        var first = ModelFacts.Bytes(ModelCompressor.Compress(ExtraModels.WideConv(), Recipe.Parse("cluster:3")).Model);
        var second = ModelFacts.Bytes(ModelCompressor.Compress(ExtraModels.WideConv(), Recipe.Parse("cluster:3")).Model);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Exact_zeros_stay_zero_and_count_as_one_of_the_values()
    {
        var original = ExtraModels.WideConv();
        var weight = original.Graph.Initializer.Single(t => t.Name == "conv.weight");
        var pruned = TensorData.ReadFloats(weight).Select((v, i) => i % 3 == 0 ? 0f : v).ToArray();
        original.Graph.Initializer[original.Graph.Initializer.IndexOf(weight)] = TensorData.FromFloats("conv.weight", weight.Dims.ToArray(), pruned);

        var after = Floats(ModelCompressor.Compress(original, Recipe.Parse("cluster:2")).Model, "conv.weight");

        for (var i = 0; i < pruned.Length; i++)
            Assert.Equal(pruned[i] == 0, after[i] == 0);
        Assert.True(after.Distinct().Count() <= 4, $"{after.Distinct().Count()} distinct values, zero included; at most 4 expected");
    }

    [Fact]
    public void Per_channel_groups_each_take_at_most_two_to_the_bits_values()
    {
        var after = Floats(ModelCompressor.Compress(ExtraModels.WideConv(), Recipe.Parse("cluster:2:4")).Model, "conv.weight");

        // conv.weight is [16,8,3,3]: 72 values per output channel, groups of 4 channels.
        var groups = after.Select((v, i) => (Group: i / 72 / 4, Value: v)).GroupBy(x => x.Group).ToList();
        Assert.Equal(4, groups.Count);
        Assert.All(groups, group => Assert.True(group.Select(x => x.Value).Distinct().Count() <= 4));
        Assert.True(after.Distinct().Count() > 4, "every group found the same four values: the groups were not clustered apart");
    }

    [Fact]
    public void An_eight_bit_clustered_model_runs_in_ONNX_Runtime_close_to_the_original()
    {
        var original = ExtraModels.WideConv();

        var run = CompressionRun.Of(original, Recipe.Parse("cluster:8"), RandomInputs.For(original, dynamicSize: 3));

        Assert.True(run.RelativeError <= 0.01, $"outputs differ by {run.RelativeError:P3} of the largest output");
        Assert.Empty(run.WarningCodes);
    }

    [Fact]
    public void After_int8_the_weights_stay_integers_on_their_grid_with_at_most_two_to_the_bits_values_per_tensor()
    {
        var original = ExtraModels.WideConv();
        var settings = new CompressionSettings { CalibrationInputs = CalibrationImages() };

        var int8 = ModelCompressor.Compress(original, Recipe.Int8, settings).Model;
        var clustered = ModelCompressor.Compress(original, Recipe.Parse("int8+cluster:4"), settings).Model;

        Assert.Equal(ModelFacts.OperatorTypes(int8).Order(), ModelFacts.OperatorTypes(clustered).Order());
        var integerWeights = clustered.Graph.Initializer.Where(t => t.DataType is (int)DataType.Int8 or (int)DataType.Uint8 && t.Dims.Count >= 2).ToList();
        Assert.NotEmpty(integerWeights);
        foreach (var weight in integerWeights)
        {
            var before = Integers(int8.Graph.Initializer.Single(t => t.Name == weight.Name));
            var after = Integers(weight);
            Assert.True(after.Distinct().Count() <= 16, $"{weight.Name} has {after.Distinct().Count()} distinct integers after int8+cluster:4");
            // The grid's range is kept (a 7-bit weight stays within [-64, 64]); zeros stay zero.
            Assert.InRange(after.Min(), before.Min(), before.Max());
            Assert.InRange(after.Max(), before.Min(), before.Max());
            Assert.All(before.Zip(after), pair => Assert.Equal(pair.First == Zero(weight), pair.Second == Zero(weight)));
        }
        // Every DequantizeLinear's scales are unchanged: only the integers (and, with calibration data, the biases) moved.
        var scales = int8.Graph.Node.Where(n => n.OpType == "DequantizeLinear").Select(n => n.Input[1]).ToHashSet();
        foreach (var tensor in int8.Graph.Initializer.Where(t => scales.Contains(t.Name)))
            Assert.Equal(TensorData.ReadFloats(tensor), TensorData.ReadFloats(clustered.Graph.Initializer.Single(t => t.Name == tensor.Name)));

    }

    [Fact]
    public void An_int8_clustered_model_runs_in_ONNX_Runtime_closer_to_int8_the_more_bits_it_keeps()
    {
        var original = ExtraModels.WideConv();
        var settings = new CompressionSettings { CalibrationInputs = CalibrationImages() };
        var inputs = RandomInputs.For(original, dynamicSize: 3);
        var expected = OrtRunner.Run(ModelFacts.Bytes(ModelCompressor.Compress(original, Recipe.Int8, settings).Model), inputs, exactInt8: true);

        var errors = new[] { 2, 4, 6 }.Select(bits => OutputError.MaxRelative(expected,
            OrtRunner.Run(ModelFacts.Bytes(ModelCompressor.Compress(original, Recipe.Parse($"int8+cluster:{bits}"), settings).Model), inputs, exactInt8: true))).ToList();

        Assert.True(errors[0] > errors[1] && errors[1] > errors[2] && errors[2] <= 0.05,
            $"int8+cluster:2/4/6 differ from int8 by {string.Join(" / ", errors.Select(e => e.ToString("P2", System.Globalization.CultureInfo.InvariantCulture)))} of the largest output");
    }

    [Fact]
    public void Packed_int8_clustered_weights_take_fewer_bytes_than_packed_int8()
    {
        var original = ExtraModels.WideConv();
        var settings = new CompressionSettings { CalibrationInputs = CalibrationImages() };

        var int8 = ModelCompressor.Compress(original, Recipe.Parse("int8+huffman"), settings).StoredBytes();
        var clustered = ModelCompressor.Compress(original, Recipe.Parse("int8+cluster:2+huffman"), settings).StoredBytes();

        Assert.True(clustered.Length < int8.Length, $"int8+cluster:2+huffman stored {clustered.Length} bytes, int8+huffman {int8.Length}");
    }

    [Fact]
    public void Weighted_by_the_inputs_second_moment_the_weights_of_a_loud_input_channel_keep_their_values_better_than_uniform()
    {
        // Input channel 0 carries nearly all the signal, through small weights (elements 0..8 of every block of 72 in
        // conv.weight [16,8,3,3]): uniform clustering spends its values on the large, unimportant ones.
        var original = ExtraModels.WideConv();
        var tensor = original.Graph.Initializer.Single(t => t.Name == "conv.weight");
        var scaled = TensorData.ReadFloats(tensor).Select((v, i) => i % 72 < 9 ? v * 0.05f : v).ToArray();
        original.Graph.Initializer[original.Graph.Initializer.IndexOf(tensor)] = TensorData.FromFloats("conv.weight", tensor.Dims.ToArray(), scaled);
        var random = new Random(9);
        var loud = Enumerable.Range(0, 8).Select(_ => new ImageTensor(Enumerable.Range(0, 8 * 36).Select(i => (random.NextSingle() * 2 - 1) * (i < 36 ? 10f : 0.01f)).ToArray(), [1, 8, 6, 6])).ToList();
        var settings = new CompressionSettings { CalibrationInputs = loud };

        var weighted = Floats(ModelCompressor.Compress(original, Recipe.Parse("cluster:3:0:inputs"), settings).Model, "conv.weight");
        var uniform = Floats(ModelCompressor.Compress(original, Recipe.Parse("cluster:3"), settings).Model, "conv.weight");

        var before = Floats(original, "conv.weight");
        double Error(float[] after) => Enumerable.Range(0, before.Length).Where(i => i % 72 < 9).Sum(i => Math.Pow(after[i] - before[i], 2));
        Assert.True(Error(weighted) < Error(uniform) / 2, $"squared error on input channel 0: {Error(weighted):G4} weighted, {Error(uniform):G4} uniform");
    }

    [Fact]
    public void A_value_halfway_between_two_centroids_goes_down_or_up_as_asked_so_ties_do_not_shift_every_sum_one_way()
    {
        double[] centroids = [-2, 0, 2];

        Assert.Equal(1, Compression.Clustering.WeightedKMeans.Nearest(centroids, 1, tieGoesUp: false));
        Assert.Equal(2, Compression.Clustering.WeightedKMeans.Nearest(centroids, 1, tieGoesUp: true));
        Assert.Equal(2, Compression.Clustering.WeightedKMeans.Nearest(centroids, 1.1, tieGoesUp: false));
        Assert.Equal(0, Compression.Clustering.WeightedKMeans.Nearest(centroids, -5));
    }

    [Fact]
    public void With_calibration_data_each_layers_bias_gives_back_the_mean_its_output_moved()
    {
        // Positive inputs, as after a ReLU: a weight change moves every output channel's mean.
        var original = ExtraModels.WideConv();
        var random = new Random(4);
        var inputs = Enumerable.Range(0, 16).Select(_ => new ImageTensor(Enumerable.Range(0, 8 * 36).Select(_ => random.NextSingle() * 2).ToArray(), [1, 8, 6, 6])).ToList();

        var corrected = ModelCompressor.Compress(original, Recipe.Parse("cluster:2"), new CompressionSettings { CalibrationInputs = inputs }).Model;
        var plain = ModelCompressor.Compress(original, Recipe.Parse("cluster:2"), CompressionSettings.Default).Model;

        // The same clustered weights; only the bias differs.
        Assert.Equal(Floats(plain, "conv.weight"), Floats(corrected, "conv.weight"));
        Assert.NotEqual(Floats(plain, "conv.bias"), Floats(corrected, "conv.bias"));
        var expected = ConvMeans(original, inputs);
        double MeanError(Onnx.Protobuf.ModelProto model) => ConvMeans(model, inputs).Zip(expected).Average(pair => Math.Abs(pair.First - pair.Second));
        Assert.True(MeanError(corrected) < MeanError(plain) / 3, $"mean output per channel off by {MeanError(corrected):G4} corrected, {MeanError(plain):G4} not");
    }

    /// <summary>The mean of each Conv output channel (before its ReLU) over the inputs, away from the padded border.</summary>
    private static double[] ConvMeans(Onnx.Protobuf.ModelProto model, IReadOnlyList<ImageTensor> inputs)
    {
        var probe = model.Clone();
        probe.Graph.Output.Add(new ValueInfoProto { Name = "conv" });
        var sums = new double[16];
        foreach (var input in inputs)
        {
            var conv = OrtRunner.Run(ModelFacts.Bytes(probe), new Dictionary<string, InputTensor> { ["x"] = new InputTensor(input.Values, input.Shape) })["conv"].Data;
            for (var c = 0; c < 16; c++)
            for (var y = 1; y < 5; y++)
            for (var x = 1; x < 5; x++)
                sums[c] += conv[(c * 36) + (y * 6) + x];
        }
        return sums.Select(s => s / (inputs.Count * 16)).ToArray();
    }

    private static List<ImageTensor> CalibrationImages()
    {
        var random = new Random(5);
        return Enumerable.Range(0, 16).Select(_ => new ImageTensor(Enumerable.Range(0, 8 * 36).Select(_ => random.NextSingle() * 2 - 1).ToArray(), [1, 8, 6, 6])).ToList();
    }

    private static float[] Floats(ModelProto model, string name) => TensorData.ReadFloats(model.Graph.Initializer.Single(t => t.Name == name));

    private static int[] Integers(TensorProto tensor) =>
        TensorData.ReadRawBytes(tensor).Select(b => tensor.DataType == (int)DataType.Int8 ? (sbyte)b : (int)b).ToArray();

    // The int8 pass stores signed weights with zero point 0 and unsigned ones with 128.
    private static int Zero(TensorProto tensor) => tensor.DataType == (int)DataType.Int8 ? 0 : 128;
}
