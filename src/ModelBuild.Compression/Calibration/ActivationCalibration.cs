namespace ModelBuild.Compression.Calibration;

/// <summary>What calibration observed: one <see cref="TensorObserver"/> per float tensor of the model, by name.</summary>
public sealed class ActivationCalibration(IReadOnlyDictionary<string, TensorObserver> observers, int sampleCount)
{
    /// <summary>Only float tensors are here: integer tensors (shapes, indices) are never quantized.</summary>
    public IReadOnlyDictionary<string, TensorObserver> Observers { get; } = observers;

    public int SampleCount { get; } = sampleCount;

    public bool IsFloatActivation(string name) => Observers.ContainsKey(name);

    public TensorRange RangeOf(string name, CalibrationMethod method, double percentile) =>
        Observers.TryGetValue(name, out var observer)
            ? RangeEstimator.Estimate(observer, method, percentile)
            : throw new KeyNotFoundException($"tensor '{name}' was not observed as a float activation during calibration");
}
