using Microsoft.ML.OnnxRuntime;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Compression.Evaluation;

/// <summary>The session options every measurement at build time runs with.</summary>
internal static class MeasurementSessionOptions
{
    /// <summary>
    /// A session for <paramref name="model"/> with one intra-op thread (the zoo baselines' setting, and comparable
    /// latencies), errors only. On a CPU whose u8 x s8 kernels saturate, <see cref="InstructionSet.ExactInt8SessionOption"/>
    /// is on, so every measured figure is the exact integer result that the target's scheme is chosen to give:
    /// full-range int8 weights (target <c>x64-vnni</c> or <c>arm64</c>, or a model quantized elsewhere) run as uint8
    /// there, while 7-bit and uint8 weights are left as they are and run at the app's speed.
    /// </summary>
    public static InferenceSession CreateSession(byte[] model) => CreateSession(model, InstructionSet.Current.U8S8Saturates);

    /// <remarks>
    /// ONNX Runtime 1.31 refuses some models under the exact option (a PyTorch QAT export whose weights share one
    /// zero point: "Attempt to replace the existing tensor"). Such a model is measured with the default kernels
    /// rather than not at all; the models ModelBuild writes give each weight its own zero point
    /// (<see cref="Quantization.WeightZeroPointUnsharer"/>), so they always get the exact option.
    /// </remarks>
    internal static InferenceSession CreateSession(byte[] model, bool exactInt8)
    {
        using var options = Create(exactInt8);
        try
        {
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException) when (exactInt8)
        {
            using var plain = Create(exactInt8: false);
            return new InferenceSession(model, plain);
        }
    }

    private static SessionOptions Create(bool exactInt8)
    {
        // Errors only: warnings such as IR 3's initializers listed as graph inputs would repeat for every variant measured.
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (exactInt8)
            options.AddSessionConfigEntry(InstructionSet.ExactInt8SessionOption, "1");
        return options;
    }
}
