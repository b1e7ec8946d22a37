using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// How far a changed model's first output moves from the original's on a few inputs: sum of squared differences over
/// the original's sum of squares (0: the same outputs). The measure of a pruning choice's cost.
/// </summary>
internal sealed class OutputError
{
    private readonly IReadOnlyList<ImageTensor> _inputs;
    private readonly float[][] _reference;
    private readonly double _energy;

    public OutputError(ModelProto original, IReadOnlyList<ImageTensor> inputs)
    {
        _inputs = inputs;
        _reference = Run(original);
        _energy = Math.Max(_reference.Sum(r => r.Sum(v => (double)v * v)), 1e-30);
    }

    public double Of(ModelProto changed)
    {
        var outputs = Run(changed);
        double sum = 0;
        for (var i = 0; i < outputs.Length; i++)
        {
            for (var j = 0; j < outputs[i].Length; j++)
            {
                var d = (double)outputs[i][j] - _reference[i][j];
                sum += d * d;
            }
        }
        return sum / _energy;
    }

    private float[][] Run(ModelProto model)
    {
        using var runner = new ExposedValueRunner(model, [model.Graph.Output[0].Name]);
        return _inputs.Select(input =>
        {
            var output = Array.Empty<float>();
            runner.Run(input, (_, values, _) => output = values.ToArray());
            return output;
        }).ToArray();
    }
}
