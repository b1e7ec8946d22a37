using System.CommandLine;
using ModelBuild.Cli.Reporting;
using ModelBuild.Compression;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Packing;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;

namespace ModelBuild.Cli.Commands;

/// <summary>
/// <c>modelbuild evaluate &lt;original&gt; &lt;compressed&gt; --evaluation-data ...</c>: both models measured side by
/// side (accuracy, latency interleaved, stored and in-memory size) and the compressed model's layers by SQNR.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create(ConsoleReporter reporter, Option<bool> verbose)
    {
        var original = new Argument<string>("original") { Description = "The original (float) model." };
        var compressed = new Argument<string>("compressed") { Description = "The compressed model to compare with it." };
        var command = new Command("evaluate", "Compare a compressed model with its original on data.") { original, compressed };
        var switches = new ItemOptionSwitches();
        switches.AddTo(command, DataOptions.EvaluationRows);
        var data = new DataOptions(switches);
        command.SetAction(parse =>
        {
            var originalPath = parse.GetRequiredValue(original);
            var compressedPath = parse.GetRequiredValue(compressed);
            return ModelCommandRunner.Run(reporter, originalPath, parse.GetValue(verbose), () =>
            {
                var originalModel = OnnxModelFile.Load(originalPath);
                // A container (a +huffman recipe's output) is measured at its stored size, run as the model it decodes to.
                var compressedModel = StoredModelFile.Load(compressedPath).Model;
                var evaluation = data.LoadEvaluation(parse, originalModel, originalPath)
                    ?? throw new CompressionException(DiagnosticCodes.DataRequired, originalPath,
                        DataRequiredMessages.EvaluationData("evaluate measures both models on data"));
                var measurements = ModelComparison.Measure(File.ReadAllBytes(originalPath),
                    [(Path.GetFileName(compressedPath), File.ReadAllBytes(compressedPath))], evaluation, data.Comparison(parse, originalModel, evaluation, originalPath));
                var layers = LayerDiagnosis.Rank(originalModel, compressedModel, evaluation.Inputs.Take(8).ToList());
                ComparisonText.Write(reporter.Output, measurements[0], measurements[1], layers);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
