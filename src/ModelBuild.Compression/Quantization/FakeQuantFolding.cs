namespace ModelBuild.Compression.Quantization;

/// <summary>What <see cref="FakeQuantizedExportFolder"/> folded; all zero (and no completions) for a model it does not apply to.</summary>
public sealed record FakeQuantFolding(int Weights, int ChannelOps, int Biases, IReadOnlyList<string> CompletedQdq)
{
    public static FakeQuantFolding None { get; } = new(0, 0, 0, []);

    public bool Folded => Weights > 0;

    /// <summary>The calibration inputs the completed Q/DQ were measured on; 0 when they went on the neighbouring grids.</summary>
    public int CalibratedOn { get; init; }

    public override string ToString() =>
        $"{Weights} fake-quantized float weights folded into their int8 integers, {ChannelOps} Div/Add/BatchNormalization nodes folded into Conv weight scales and biases, {Biases} biases put on the int32 accumulator grid, {CompletedQdq.Count} missing QuantizeLinear/DequantizeLinear pairs completed{(CompletedQdq.Count == 0 ? "" : CalibratedOn > 0 ? $" on ranges calibrated on {CalibratedOn} inputs" : " on the neighbouring grids")}";
}
