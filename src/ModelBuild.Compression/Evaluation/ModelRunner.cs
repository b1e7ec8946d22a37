using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Evaluation;

/// <summary>
/// One ONNX Runtime session over a model held in memory, fed its first input and read from its first output, with
/// one intra-op thread: the setting the zoo baselines were measured with, and one that makes latencies comparable.
/// A float16 input or output (a pure float16 graph) is converted at the boundary so callers always see float32.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly bool inputIsFloat16;

    private ModelRunner(InferenceSession session, TimeSpan sessionStartTime)
    {
        this.session = session;
        SessionStartTime = sessionStartTime;
        InputName = session.InputNames[0];
        OutputName = session.OutputNames[0];
        inputIsFloat16 = session.InputMetadata[InputName].ElementDataType == TensorElementType.Float16;
    }

    /// <summary>How long creating the session took (parsing, graph optimization, weight preparation).</summary>
    public TimeSpan SessionStartTime { get; }

    public string InputName { get; }

    public string OutputName { get; }

    public static ModelRunner Open(byte[] model)
    {
        // The process-wide environment is created once, on first use; keep it out of the session's start time.
        _ = OrtEnv.Instance();
        // Warnings such as IR 3's initializers listed as graph inputs would repeat for every variant measured.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        var stopwatch = Stopwatch.StartNew();
        var session = new InferenceSession(model, options);
        return new ModelRunner(session, stopwatch.Elapsed);
    }

    public ModelOutput Run(ImageTensor input)
    {
        using var inputValue = inputIsFloat16
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(input.Values, value => (Float16)value), input.Shape)
            : OrtValue.CreateTensorValueFromMemory(input.Values, input.Shape);
        using var outputs = session.Run(runOptions, [InputName], [inputValue], [OutputName]);
        var output = outputs[0];
        var typeAndShape = output.GetTensorTypeAndShape();
        var values = typeAndShape.ElementDataType == TensorElementType.Float16
            ? ToFloat32(output.GetTensorDataAsSpan<Float16>())
            : output.GetTensorDataAsSpan<float>().ToArray();
        return new ModelOutput(values, typeAndShape.Shape);
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }

    private static float[] ToFloat32(ReadOnlySpan<Float16> values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = (float)values[i];
        return result;
    }
}
