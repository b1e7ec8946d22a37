using Microsoft.ML.OnnxRuntime;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Compression.Evaluation;

/// <summary>The session options every measurement at build time runs with.</summary>
internal static class MeasurementSessionOptions
{
    /// <summary>
    /// One intra-op thread (the zoo baselines' setting, and comparable latencies), errors only. On a CPU whose u8 x s8
    /// kernels saturate, <see cref="InstructionSet.ExactInt8SessionOption"/> is on, so every measured figure is the
    /// exact integer result that the target's scheme is chosen to give: full-range int8 weights (target
    /// <c>x64-vnni</c> or <c>arm64</c>, or a model quantized elsewhere) run as uint8 there, while 7-bit and uint8
    /// weights are left as they are and run at the app's speed.
    /// </summary>
    public static SessionOptions Create()
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (InstructionSet.Current.U8S8Saturates)
            options.AddSessionConfigEntry(InstructionSet.ExactInt8SessionOption, "1");
        return options;
    }
}
