using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelBuild.TestSupport;

/// <summary>Runs a model in a real ONNX Runtime session (CPU, one thread, so results are repeatable).</summary>
public static class OrtRunner
{
    public static IReadOnlyDictionary<string, OutputTensor> Run(byte[] model, IReadOnlyDictionary<string, InputTensor> inputs) =>
        Run(model, inputs, exactInt8: false);

    /// <param name="exactInt8">
    /// Asks ONNX Runtime for exact int8 arithmetic (<see cref="ExactInt8SessionOption"/>): on x64 without VNNI its
    /// u8 x s8 kernels saturate on full-range int8 weights, so a reference that holds on every CPU needs it.
    /// </param>
    public static IReadOnlyDictionary<string, OutputTensor> Run(byte[] model, IReadOnlyDictionary<string, InputTensor> inputs, bool exactInt8)
    {
        using var options = NewOptions(exactInt8);
        using var session = new InferenceSession(model, options);
        return Run(session, inputs);
    }

    /// <summary>From a file, so ONNX Runtime resolves external data beside it itself.</summary>
    public static IReadOnlyDictionary<string, OutputTensor> Run(string modelPath, IReadOnlyDictionary<string, InputTensor> inputs)
    {
        using var options = NewOptions();
        using var session = new InferenceSession(modelPath, options);
        return Run(session, inputs);
    }

    public static IReadOnlyDictionary<string, OutputTensor> Run(InferenceSession session, IReadOnlyDictionary<string, InputTensor> inputs)
    {
        var values = new Dictionary<string, OrtValue>();
        try
        {
            foreach (var (name, input) in inputs)
                values[name] = ToOrtValue(input);
            using var runOptions = new RunOptions();
            var outputNames = session.OutputMetadata.Keys.ToList();
            using var results = session.Run(runOptions, values, outputNames);
            var outputs = new Dictionary<string, OutputTensor>();
            for (var i = 0; i < outputNames.Count; i++)
                outputs[outputNames[i]] = ToOutput(results[i]);
            return outputs;
        }
        finally
        {
            foreach (var value in values.Values)
                value.Dispose();
        }
    }

    /// <summary>ONNX Runtime's session option for exact int8 arithmetic on x64 (it rewrites full-range int8 weights as uint8).</summary>
    public const string ExactInt8SessionOption = "session.x64quantprecision";

    public static SessionOptions NewOptions(bool exactInt8 = false)
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        if (exactInt8)
            options.AddSessionConfigEntry(ExactInt8SessionOption, "1");
        return options;
    }

    private static OrtValue ToOrtValue(InputTensor input) => input.Data switch
    {
        float[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        double[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        long[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        int[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        byte[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        sbyte[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        bool[] data => OrtValue.CreateTensorValueFromMemory(data, input.Shape),
        _ => throw new ArgumentException($"input element array {input.Data.GetType().Name} is not supported", nameof(input)),
    };

    private static OutputTensor ToOutput(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => Widen(value.GetTensorDataAsSpan<double>(), v => (float)v),
            TensorElementType.Int64 => Widen(value.GetTensorDataAsSpan<long>(), v => v),
            TensorElementType.Int32 => Widen(value.GetTensorDataAsSpan<int>(), v => v),
            TensorElementType.UInt8 => Widen(value.GetTensorDataAsSpan<byte>(), v => v),
            TensorElementType.Int8 => Widen(value.GetTensorDataAsSpan<sbyte>(), v => v),
            TensorElementType.Bool => Widen(value.GetTensorDataAsSpan<bool>(), v => v ? 1f : 0f),
            var other => throw new NotSupportedException($"output element type {other} is not supported by the test runner"),
        };
        return new OutputTensor(data, info.Shape);
    }

    private static float[] Widen<T>(ReadOnlySpan<T> values, Func<T, float> convert)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = convert(values[i]);
        return result;
    }
}
