using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Calibration;

/// <summary>
/// Runs the float model in ONNX Runtime with every node output added as a graph output, one input at a time
/// (batch 1), and folds each float tensor into its <see cref="TensorObserver"/>. Inputs are consumed as they are
/// enumerated and nothing per input is kept, so memory does not grow with the number of inputs.
/// </summary>
public static class ActivationCalibrator
{
    public static ActivationCalibration Observe(ModelProto model, IEnumerable<IReadOnlyDictionary<string, ImageTensor>> samples, IProgress<string>? progress = null)
    {
        var inputNames = OnnxGraph.RealInputs(model.Graph).Select(i => i.Name);
        var names = inputNames.Concat(model.Graph.Node.SelectMany(n => n.Output)).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        using var runner = new ExposedValueRunner(model, names);
        var observers = new Dictionary<string, TensorObserver>(StringComparer.Ordinal);
        var count = 0;
        foreach (var sample in samples)
        {
            try
            {
                runner.Run(sample, (index, values, _) => ObserverFor(observers, names[index]).Observe(values));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"calibration input {count} has {e.Message}", nameof(samples), e);
            }
            count++;
            if (count % 100 == 0) progress?.Report($"calibrated on {count} inputs");
        }
        if (count == 0)
            throw new ArgumentException("calibration needs at least one input; none were given", nameof(samples));
        progress?.Report($"calibrated {observers.Count} float tensors on {count} inputs");
        return new ActivationCalibration(observers, count);
    }

    private static TensorObserver ObserverFor(Dictionary<string, TensorObserver> observers, string name)
    {
        if (!observers.TryGetValue(name, out var observer))
        {
            observer = new TensorObserver();
            observers[name] = observer;
        }
        return observer;
    }
}
