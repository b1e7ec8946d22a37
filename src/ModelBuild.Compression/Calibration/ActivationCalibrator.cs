using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Compression.Data;
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
        var observed = model.Clone();
        var graph = observed.Graph;
        OnnxGraph.ExposeAsOutputs(graph, graph.Node.SelectMany(n => n.Output).ToList());
        var inputNames = OnnxGraph.RealInputs(graph).Select(i => i.Name).ToArray();
        var outputNames = graph.Output.Select(o => o.Name).ToArray();

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(observed.ToByteArray(), options);
        using var runOptions = new RunOptions();
        var observers = new Dictionary<string, TensorObserver>(StringComparer.Ordinal);
        var notFloat = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var sample in samples)
        {
            var inputValues = new OrtValue[inputNames.Length];
            try
            {
                for (var i = 0; i < inputNames.Length; i++)
                {
                    if (!sample.TryGetValue(inputNames[i], out var tensor))
                        throw new ArgumentException($"calibration input {count} has no value for the model input '{inputNames[i]}' (it has {string.Join(", ", sample.Keys)})", nameof(samples));
                    inputValues[i] = OrtValue.CreateTensorValueFromMemory(tensor.Values, tensor.Shape);
                    ObserverFor(observers, inputNames[i]).Observe(tensor.Values);
                }
                using var outputs = session.Run(runOptions, inputNames, inputValues, outputNames);
                for (var o = 0; o < outputNames.Length; o++)
                {
                    var value = outputs[o];
                    if (!value.IsTensor || value.GetTensorTypeAndShape().ElementDataType != TensorElementType.Float)
                    {
                        notFloat.Add(outputNames[o]);
                        continue;
                    }
                    ObserverFor(observers, outputNames[o]).Observe(value.GetTensorDataAsSpan<float>());
                }
            }
            finally
            {
                foreach (var value in inputValues) value?.Dispose();
            }
            count++;
            if (count % 100 == 0) progress?.Report($"calibrated on {count} inputs");
        }
        if (count == 0)
            throw new ArgumentException("calibration needs at least one input; none were given", nameof(samples));
        foreach (var name in notFloat) observers.Remove(name);
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
