using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Compression.Data;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Evaluation;

/// <summary>
/// A model run in ONNX Runtime with some of its values added as graph outputs, one input at a time (batch 1): how
/// calibration and the repairs observe the tensors inside a model. A requested name that is a graph input is served
/// from the input itself (ONNX Runtime returns node outputs only); only float values are handed on. The session is a
/// measurement session (<see cref="MeasurementSessionOptions"/>), so every observer sees the same kernels.
/// </summary>
internal sealed class ExposedValueRunner : IDisposable
{
    /// <summary>One observed value: its position in <see cref="Names"/>, its elements and its shape.</summary>
    public delegate void ValueHandler(int index, ReadOnlySpan<float> values, long[] shape);

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputs;
    private readonly int[] _outputIndex;
    private readonly Dictionary<string, int> _served = new(StringComparer.Ordinal);

    /// <param name="model">The model; it is cloned, never changed.</param>
    /// <param name="names">The values to observe: node outputs, graph inputs, or graph outputs (a name given twice is handed on once, at its first position).</param>
    public ExposedValueRunner(ModelProto model, IReadOnlyList<string> names)
    {
        Names = names;
        var observed = model.Clone();
        InputNames = OnnxGraph.RealInputs(observed.Graph).Select(i => i.Name).ToArray();
        var exposed = names.Where(n => !InputNames.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        OnnxGraph.ExposeAsOutputs(observed.Graph, exposed);
        // Each name's first position: a graph input is handed on from the sample, a node output from the run.
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++) positions.TryAdd(names[i], i);
        foreach (var input in InputNames)
        {
            if (positions.TryGetValue(input, out var index)) _served[input] = index;
        }
        // ONNX Runtime runs nothing without an output to return: when every name is a graph input, ask for the model's own.
        _outputs = exposed.Length > 0 ? exposed : [observed.Graph.Output[0].Name];
        _outputIndex = exposed.Length > 0 ? exposed.Select(o => positions[o]).ToArray() : [-1];
        _session = MeasurementSessionOptions.CreateSession(OnnxModelFile.ToBytes(observed));
    }

    /// <summary>The values observed, in the order given.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The model's real inputs (graph inputs that are not initializers).</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Runs a model with one input.</summary>
    public void Run(ImageTensor input, ValueHandler handler) =>
        Run(new Dictionary<string, ImageTensor>(StringComparer.Ordinal) { [InputNames[0]] = input }, handler);

    /// <summary>Runs the model on one sample (a value per real input) and hands each float value observed to <paramref name="handler"/>.</summary>
    /// <exception cref="ArgumentException">The sample has no value for one of the model's inputs.</exception>
    public void Run(IReadOnlyDictionary<string, ImageTensor> sample, ValueHandler handler)
    {
        var inputValues = new OrtValue[InputNames.Count];
        try
        {
            for (var i = 0; i < InputNames.Count; i++)
            {
                if (!sample.TryGetValue(InputNames[i], out var tensor))
                    throw new ArgumentException($"no value for the model input '{InputNames[i]}' (the input has {string.Join(", ", sample.Keys)})", nameof(sample));
                inputValues[i] = OrtValue.CreateTensorValueFromMemory(tensor.Values, tensor.Shape);
                if (_served.TryGetValue(InputNames[i], out var index)) handler(index, tensor.Values, tensor.Shape);
            }
            using var outputs = _session.Run(_runOptions, InputNames, inputValues, _outputs);
            for (var o = 0; o < _outputs.Length; o++)
            {
                var value = outputs[o];
                if (_outputIndex[o] < 0 || !value.IsTensor) continue;
                var info = value.GetTensorTypeAndShape();
                if (info.ElementDataType == TensorElementType.Float)
                    handler(_outputIndex[o], value.GetTensorDataAsSpan<float>(), info.Shape);
            }
        }
        finally
        {
            foreach (var value in inputValues) value?.Dispose();
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
