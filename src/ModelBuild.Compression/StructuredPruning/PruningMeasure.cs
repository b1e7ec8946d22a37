namespace ModelBuild.Compression.StructuredPruning;

/// <summary>What <c>prune-channels</c>' fraction counts (its <c>of</c> argument).</summary>
internal enum PruningMeasure
{
    /// <summary><c>channels</c>: the prunable output channels.</summary>
    Channels,

    /// <summary><c>macs</c>: the multiply-accumulates of the model's Conv, Gemm and MatMul layers.</summary>
    MultiplyAccumulates,

    /// <summary><c>latency</c>: those layers' time per input, measured with ONNX Runtime's profiler (<see cref="LayerLatency"/>).</summary>
    Latency,
}
