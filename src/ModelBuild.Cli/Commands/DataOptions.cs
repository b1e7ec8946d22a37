using System.CommandLine;
using ModelBuild.Compression;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Contracts.Options;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Cli.Commands;

/// <summary>The data options shared by <c>compress</c> and <c>evaluate</c>: where the data is and how to preprocess it.</summary>
public sealed class DataOptions
{
    private readonly ItemOptionSwitches _switches;

    public DataOptions(ItemOptionSwitches switches) => _switches = switches;

    /// <summary>The rows of the item option table that <c>evaluate</c> takes (<c>compress</c> takes them all).</summary>
    public static IReadOnlyList<ItemOption> EvaluationRows { get; } =
        [ItemOptions.EvaluationData, ItemOptions.Preprocessing, ItemOptions.EvaluationCount, ItemOptions.LatencyRounds, ItemOptions.Charset];

    public Dataset? LoadEvaluation(ParseResult parse, ModelProto model, string modelPath) =>
        Load(_switches.Text(parse, ItemOptions.EvaluationData), _switches.Count(parse, ItemOptions.EvaluationCount), parse, model, modelPath);

    /// <summary>The calibration inputs, read lazily (memory stays flat); the first one is read now so a bad spec fails early.</summary>
    public IEnumerable<ImageTensor>? StreamCalibration(ParseResult parse, ModelProto model, string modelPath)
    {
        if (Spec(_switches.Text(parse, ItemOptions.CalibrationData), _switches.Count(parse, ItemOptions.CalibrationCount), modelPath) is not { } spec)
            return null;
        var layout = ModelInputLayout.Of(model);
        layout.RequireOneInputAtATime(modelPath, "calibration data");
        var inputs = DatasetLoader.StreamInputs(spec, layout, PreprocessingSpec.Parse(_switches.Text(parse, ItemOptions.Preprocessing), layout, modelPath), _switches.Count(parse, ItemOptions.CalibrationCount));
        _ = inputs.First();
        return inputs;
    }

    private static string? Spec(string? spec, int? count, string modelPath)
    {
        if (string.IsNullOrWhiteSpace(spec))
            return null;
        if (count is <= 0)
            throw new CompressionException(DiagnosticCodes.MalformedOption, modelPath,
                $"a data count must be positive: expected a number of inputs such as 500, found {count}", isCommandLineProblem: true);
        return spec;
    }

    /// <summary>
    /// How to measure, with the charset read and checked against the model's declared classes (MB1021) when given;
    /// text labels without one are MB1017.
    /// </summary>
    public ComparisonOptions Comparison(ParseResult parse, ModelProto model, Dataset evaluation, string modelPath)
    {
        var charset = _switches.Text(parse, ItemOptions.Charset) is { Length: > 0 } path ? Compression.Data.Charset.Load(path) : null;
        var layout = ModelInputLayout.Of(model);
        if (charset is not null && layout.IsTextRecognizer && layout.ClassCount is { } classes)
            charset.ClassesFor(classes);
        if (charset is null && evaluation.HasTexts)
            throw new CompressionException(DiagnosticCodes.DataRequired, modelPath, DataRequiredMessages.Charset());
        return new() { LatencyRounds = Math.Max(1, _switches.Count(parse, ItemOptions.LatencyRounds) ?? 1), Charset = charset };
    }

    /// <summary>The reference model (a distilled student's teacher), read and checked against the model, or null.</summary>
    public ReferenceModel? LoadReference(ParseResult parse, ModelProto model) =>
        _switches.Text(parse, ItemOptions.ReferenceModel) is { Length: > 0 } path ? ReferenceModel.Load(path, model) : null;

    public bool HasReference(ParseResult parse) => _switches.Text(parse, ItemOptions.ReferenceModel) is { Length: > 0 };

    private Dataset? Load(string? text, int? count, ParseResult parse, ModelProto model, string modelPath)
    {
        if (Spec(text, count, modelPath) is not { } spec)
            return null;
        var layout = ModelInputLayout.Of(model);
        layout.RequireOneInputAtATime(modelPath, "evaluation data");
        var preprocessing = PreprocessingSpec.Parse(_switches.Text(parse, ItemOptions.Preprocessing), layout, modelPath);
        return DatasetLoader.Load(spec, layout, preprocessing, count);
    }
}
