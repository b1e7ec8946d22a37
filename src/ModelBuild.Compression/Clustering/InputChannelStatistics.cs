using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Clustering;

/// <summary>
/// Each layer input's mean E[x_c] and second moment E[x_c^2] per input channel c over the calibration inputs. A
/// layer's output error from changing weight w[o, c] by e is e * x_c: its mean, e * E[x_c], is what bias correction
/// gives back, and its expected square, e^2 * E[x_c^2] (the diagonal of the Hessian OBS/GPTQ use for a linear layer),
/// is a weight's importance. The layer inputs are observed with <see cref="ExposedValueRunner"/>, one input at a time.
/// </summary>
internal static class InputChannelStatistics
{
    /// <summary>More inputs than this add little to a mean of squares and only cost time.</summary>
    public const int MaxInputs = 64;

    /// <summary>
    /// Per tensor name of <paramref name="activations"/> (each with the axis its channels run along; -1: the last), the
    /// mean and mean square of each channel over the first <see cref="MaxInputs"/> calibration inputs. A tensor that is
    /// not float or whose rank does not have the axis is left out.
    /// </summary>
    public static Dictionary<string, ChannelStatistics> Measure(ModelProto model, IReadOnlyDictionary<string, int> activations, IEnumerable<ImageTensor> inputs)
    {
        var names = activations.Keys.ToArray();
        var sums = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var squares = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);

        void Accumulate(string name, ReadOnlySpan<float> data, long[] shape)
        {
            var axis = activations[name] < 0 ? shape.Length - 1 : activations[name];
            if (axis < 0 || axis >= shape.Length || shape[axis] <= 0) return;
            var channels = checked((int)shape[axis]);
            var inner = 1L;
            for (var d = axis + 1; d < shape.Length; d++) inner *= shape[d];
            if (!sums.TryGetValue(name, out var sum))
            {
                sum = new double[channels];
                sums[name] = sum;
                squares[name] = new double[channels];
                counts[name] = 0;
            }
            if (sum.Length != channels) return;
            var square = squares[name];
            for (var i = 0; i < data.Length; i++)
            {
                var channel = (int)(i / inner % channels);
                sum[channel] += data[i];
                square[channel] += (double)data[i] * data[i];
            }
            counts[name] += data.Length / channels;
        }

        using (var runner = new ExposedValueRunner(model, names))
        {
            foreach (var input in inputs.Take(MaxInputs))
                runner.Run(input, (index, values, shape) => Accumulate(names[index], values, shape));
        }
        return sums.Where(pair => counts[pair.Key] > 0).ToDictionary(
            pair => pair.Key,
            pair => new ChannelStatistics(pair.Value.Select(v => v / counts[pair.Key]).ToArray(), squares[pair.Key].Select(v => v / counts[pair.Key]).ToArray()),
            StringComparer.Ordinal);
    }
}
