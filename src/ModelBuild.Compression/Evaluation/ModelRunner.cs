using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime;

namespace ModelBuild.Compression.Evaluation;

/// <summary>
/// One ONNX Runtime session over a model held in memory, fed its first input and read from its first output, with
/// one intra-op thread: the setting the zoo baselines were measured with, and one that makes latencies comparable.
/// Callers always see float32: a float16 input or output (a pure float16 graph) is converted at the boundary, and a
/// uint8 one on a calibrated grid (<c>int8-full</c>) is quantized or dequantized (see <see cref="BoundaryConversion"/>).
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly TensorElementType inputType;

    // Each input is converted to the model's element type once and kept while the caller holds the input, so the
    // timed runs of LatencyMeter measure the model, not the conversion: an app with an int8-full class quantizes
    // its input once (or has bytes already), just as the float model's input is built once outside the timing.
    private readonly ConditionalWeakTable<ImageTensor, Array> convertedInputs = new();

    private ModelRunner(InferenceSession session, TimeSpan sessionStartTime, QuantizationParameters? inputGrid, QuantizationParameters? outputGrid)
    {
        this.session = session;
        SessionStartTime = sessionStartTime;
        InputName = session.InputNames[0];
        OutputName = session.OutputNames[0];
        inputType = session.InputMetadata[InputName].ElementDataType;
        InputGrid = inputGrid;
        OutputGrid = outputGrid;
    }

    /// <summary>How long creating the session took (parsing, graph optimization, weight preparation).</summary>
    public TimeSpan SessionStartTime { get; }

    public string InputName { get; }

    public string OutputName { get; }

    /// <summary>The uint8 grid the first input is quantized on (<c>int8-full</c>), or null for a float input.</summary>
    public QuantizationParameters? InputGrid { get; }

    /// <summary>The uint8 grid the first output is dequantized from (<c>int8-full</c>), or null for a float output.</summary>
    public QuantizationParameters? OutputGrid { get; }

    public static ModelRunner Open(byte[] model)
    {
        // The process-wide environment is created once, on first use; keep it out of the session's start time.
        _ = OrtEnv.Instance();
        var stopwatch = Stopwatch.StartNew();
        var session = MeasurementSessionOptions.CreateSession(model);
        var startTime = stopwatch.Elapsed;
        try
        {
            var (inputGrid, outputGrid) = Grids(session, model);
            return new ModelRunner(session, startTime, inputGrid, outputGrid);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public ModelOutput Run(ImageTensor input)
    {
        var values = inputType == TensorElementType.Float
            ? input.Values
            : convertedInputs.GetValue(input, image => BoundaryConversion.ToInput(image.Values, inputType, InputGrid));
        using var inputValue = BoundaryConversion.ToOrtValue(values, input.Shape);
        using var outputs = session.Run(runOptions, [InputName], [inputValue], [OutputName]);
        var output = outputs[0];
        return new ModelOutput(BoundaryConversion.ToFloat(output, OutputGrid), output.GetTensorTypeAndShape().Shape);
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }

    // The grids are read from the graph only when a boundary is uint8, so other models are not parsed twice.
    private static (QuantizationParameters? Input, QuantizationParameters? Output) Grids(InferenceSession session, byte[] model)
    {
        var (input, output) = (session.InputNames[0], session.OutputNames[0]);
        var inputIsUInt8 = session.InputMetadata[input].ElementDataType == TensorElementType.UInt8;
        var outputIsUInt8 = session.OutputMetadata[output].ElementDataType == TensorElementType.UInt8;
        if (!inputIsUInt8 && !outputIsUInt8)
            return (null, null);
        var proto = ModelProto.Parser.ParseFrom(model);
        return (inputIsUInt8 ? BoundaryConversion.Grid(proto, BoundaryQuantization.InputKind, input) : null,
            outputIsUInt8 ? BoundaryConversion.Grid(proto, BoundaryQuantization.OutputKind, output) : null);
    }
}
