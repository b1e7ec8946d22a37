using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>Calibration inputs for the tests: labeled inputs under the model's single input name, without their labels.</summary>
internal static class CalibrationSamples
{
    public static IEnumerable<IReadOnlyDictionary<string, ImageTensor>> From(IEnumerable<ImageTensor> inputs, string inputName) =>
        inputs.Select(input => (IReadOnlyDictionary<string, ImageTensor>)new Dictionary<string, ImageTensor> { [inputName] = input });

    public static IEnumerable<IReadOnlyDictionary<string, ImageTensor>> From(IEnumerable<LabeledTensor> labeled, string inputName) =>
        From(labeled.Select(l => l.Input), inputName);
}
