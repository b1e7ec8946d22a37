using Google.Protobuf;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Accuracy.Evaluation;

/// <summary>The evaluator on real ONNX Runtime sessions of tiny models whose outputs are known: the input itself, or its negation.</summary>
public sealed class EvaluatorTests
{
    [Fact]
    public void Top1_and_top5_count_the_labels_rank_among_the_scores()
    {
        using var identity = ModelRunner.Open(ScoresModel("Identity", DataType.Float));
        LabeledTensor[] data =
        [
            Sample([0, 9, 1, 2, 3, 4, 5, 6], label: 1), // rank 1
            Sample([8, 7, 6, 5, 4, 3, 2, 1], label: 2), // rank 3: top-5 only
            Sample([8, 7, 6, 5, 4, 3, 2, 1], label: 6), // rank 7: neither
        ];

        var report = ClassificationEvaluator.Evaluate(identity, data);

        Assert.Equal((3, 1, 2), (report.Count, report.Top1Correct, report.Top5Correct));
        Assert.Equal([1, 0, 0], report.Predictions);
        Assert.Equal(1 / 3.0, report.Top1, 1e-9);
    }

    [Fact]
    public void Agreement_compares_two_models_predictions_input_by_input()
    {
        using var identity = ModelRunner.Open(ScoresModel("Identity", DataType.Float));
        using var negation = ModelRunner.Open(ScoresModel("Neg", DataType.Float));
        LabeledTensor[] data = [Sample([1, 5, 1, 1, 1, 1, 1, 1], 1), Sample([0, 1, 2, 3, 4, 5, 6, 7], 7), Sample([3, 3, 3, 3, 3, 3, 3, 3], 0)];

        var original = ClassificationEvaluator.Evaluate(identity, data);
        var negated = ClassificationEvaluator.Evaluate(negation, data);

        // Negation moves the argmax except on the all-equal input, where both pick the first class.
        Assert.Equal([1, 7, 0], original.Predictions);
        Assert.Equal([0, 0, 0], negated.Predictions);
        Assert.Equal(1 / 3.0, original.AgreementWith(negated), 1e-9);
    }

    [Fact]
    public void A_float16_graph_takes_and_returns_float32_at_the_boundary()
    {
        using var runner = ModelRunner.Open(ScoresModel("Identity", DataType.Float16));
        float[] scores = [0.5f, -1.25f, 3f, 1024f, 0f, 2.5f, -8f, 0.125f];

        var output = runner.Run(new ImageTensor(scores, [1, 8]));

        Assert.Equal(scores, output.Values);
        Assert.Equal([1L, 8], output.Shape);
    }

    [Fact]
    public void Latency_is_measured_for_every_model_and_session_start_is_recorded()
    {
        using var identity = ModelRunner.Open(ScoresModel("Identity", DataType.Float));
        using var negation = ModelRunner.Open(ScoresModel("Neg", DataType.Float));

        var medians = LatencyMeter.MedianPerInput([identity, negation], [Sample([1, 2, 3, 4, 5, 6, 7, 8], 0).Input], warmupRounds: 2, rounds: 5);

        Assert.Equal(2, medians.Count);
        Assert.All(medians, median => Assert.True(median > TimeSpan.Zero && median < TimeSpan.FromSeconds(1), $"median {median}"));
        Assert.True(identity.SessionStartTime > TimeSpan.Zero);
    }

    private static LabeledTensor Sample(float[] scores, int label) => new(new ImageTensor(scores, [1, scores.Length]), label);

    private static byte[] ScoresModel(string opType, DataType type) => new OnnxModelBuilder(opset: 13)
        .Input("scores_in", type, 1, 8)
        .Output("scores_out", type, 1, 8)
        .Node(opType, ["scores_in"], ["scores_out"])
        .Build()
        .ToByteArray();
}
