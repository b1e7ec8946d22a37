using System.CommandLine;
using ModelBuild.Compression;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Cli.Commands;

/// <summary>The data options shared by <c>compress</c> and <c>evaluate</c>: where the data is and how to preprocess it.</summary>
public sealed class DataOptions
{
    public Option<string?> EvaluationData { get; } = new("--evaluation-data")
    { Description = "Labeled (or unlabeled) data to measure accuracy and latency on: folder, pattern, CSV, IDX files or .npy, ';'-separated." };

    public Option<string?> CalibrationData { get; } = new("--calibration-data")
    { Description = "Representative inputs for int8 calibration, in the same forms as --evaluation-data." };

    public Option<string?> Preprocessing { get; } = new("--preprocessing")
    { Description = "resize=WxH;crop=WxH;channels=rgb|bgr|grey;layout=nchw|nhwc;scale=1/255;mean=..;std=.. (defaults from the model's input)." };

    public Option<int?> EvaluationCount { get; } = new("--evaluation-count") { Description = "Use only the first N evaluation inputs." };

    public Option<int?> CalibrationCount { get; } = new("--calibration-count") { Description = "Use only the first N calibration inputs." };

    public Option<int> LatencyRounds { get; } = new("--latency-rounds") { Description = "Timed rounds over the latency inputs (median taken).", DefaultValueFactory = _ => 5 };

    public Option<string?> Charset { get; } = new("--charset")
    { Description = "A CTC text recognizer's dictionary, one character per line (blank first, a space last are implied), to score it against text labels." };

    public void AddTo(Command command, bool withCalibration)
    {
        command.Add(EvaluationData);
        if (withCalibration)
        {
            command.Add(CalibrationData);
            command.Add(CalibrationCount);
        }
        command.Add(Preprocessing);
        command.Add(EvaluationCount);
        command.Add(LatencyRounds);
        command.Add(Charset);
    }

    public Dataset? LoadEvaluation(ParseResult parse, ModelProto model, string modelPath) =>
        Load(parse.GetValue(EvaluationData), parse.GetValue(EvaluationCount), parse, model, modelPath);

    /// <summary>The calibration inputs, read lazily (memory stays flat); the first one is read now so a bad spec fails early.</summary>
    public IEnumerable<ImageTensor>? StreamCalibration(ParseResult parse, ModelProto model, string modelPath)
    {
        if (Spec(parse.GetValue(CalibrationData), parse.GetValue(CalibrationCount), modelPath) is not { } spec)
            return null;
        var layout = ModelInputLayout.Of(model);
        layout.RequireOneInputAtATime(modelPath, "calibration data");
        var inputs = DatasetLoader.StreamInputs(spec, layout, PreprocessingSpec.Parse(parse.GetValue(Preprocessing), layout, modelPath), parse.GetValue(CalibrationCount));
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
        var charset = parse.GetValue(Charset) is { Length: > 0 } path ? Compression.Data.Charset.Load(path) : null;
        var layout = ModelInputLayout.Of(model);
        if (charset is not null && layout.IsTextRecognizer && layout.ClassCount is { } classes)
            charset.ClassesFor(classes);
        if (charset is null && evaluation.HasTexts)
            throw new CompressionException(DiagnosticCodes.DataRequired, modelPath, DataRequiredMessages.Charset());
        return new() { LatencyRounds = Math.Max(1, parse.GetValue(LatencyRounds)), Charset = charset };
    }

    private Dataset? Load(string? text, int? count, ParseResult parse, ModelProto model, string modelPath)
    {
        if (Spec(text, count, modelPath) is not { } spec)
            return null;
        var layout = ModelInputLayout.Of(model);
        layout.RequireOneInputAtATime(modelPath, "evaluation data");
        var preprocessing = PreprocessingSpec.Parse(parse.GetValue(Preprocessing), layout, modelPath);
        return DatasetLoader.Load(spec, layout, preprocessing, count);
    }
}
