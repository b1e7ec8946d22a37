using System.CommandLine;
using System.Globalization;
using ModelBuild.Cli.Reporting;
using ModelBuild.Compression;
using ModelBuild.Compression.Description;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Targets;
using ModelBuild.Compression.Validation;
using ModelBuild.Compression.Data;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Contracts.Options;
using ModelBuild.Contracts.Results;
using ModelBuild.Runtime.Cpu;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Cli.Commands;

/// <summary>
/// <c>modelbuild compress &lt;model&gt; --recipe R --output out.onnx --description out.modeldesc</c>, plus data,
/// preprocessing, int8, budget, objective and report options. With evaluation data (required by <c>auto</c> and by
/// budgets) the original and the candidates are measured side by side and the best one meeting the budgets is kept.
/// </summary>
public static class CompressCommand
{
    public static Command Create(ConsoleReporter reporter, Option<bool> verbose)
    {
        var model = new Argument<string>("model") { Description = "The ONNX model to compress." };
        var recipe = new Option<string>("--recipe") { Description = $"The recipe: {RecipeSteps.Expected}. A recipe ending in +huffman stores a ModelBuild container with entropy-coded weights.", Required = true };
        var output = new Option<string>("--output") { Description = "Where to write the compressed model.", Required = true };
        var description = new Option<string>("--description") { Description = "Where to write the model description.", Required = true };
        var command = new Command("compress", "Compress a model and write its description.") { model, recipe, output, description };
        var switches = new ItemOptionSwitches();
        switches.AddTo(command, ItemOptions.All);
        var data = new DataOptions(switches);
        var selection = new SelectionOptions(switches);
        command.Add(selection.Report);
        var decodedOption = new Option<string?>("--decoded-output") { Description = "Also write the ONNX model the output decodes to here (the output itself when it is plain ONNX), for Netron and other tools." };
        command.Add(decodedOption);
        var containerOption = new Option<string?>("--container-output") { Description = "When the result is a ModelBuild container (a packed recipe, or one auto chose), write it here and the ONNX it decodes to at --output; otherwise delete this file. Each file is then named for what it is." };
        command.Add(containerOption);
        var resultOption = new Option<string?>("--result") { Description = "Write what the run did here as JSON: outputs, warnings, errors, the data files it read, budgets, summary, reports." };
        command.Add(resultOption);
        command.SetAction(parse =>
        {
            var paths = new CompressPaths(
                parse.GetRequiredValue(model),
                Path.GetFullPath(parse.GetRequiredValue(output)),
                Path.GetFullPath(parse.GetRequiredValue(description)),
                parse.GetValue(selection.Report) is { } report ? Path.GetFullPath(report) : null,
                parse.GetValue(decodedOption) is { Length: > 0 } decoded ? Path.GetFullPath(decoded) : null,
                parse.GetValue(containerOption) is { Length: > 0 } container ? Path.GetFullPath(container) : null);
            if (parse.GetValue(resultOption) is not { Length: > 0 } resultPath)
                return Execute(reporter, paths, parse.GetRequiredValue(recipe), parse, data, selection, parse.GetValue(verbose), null);
            var result = new CompressionResultFile();
            reporter.Result = result;
            using var reads = DataFileReads.Record();
            var exitCode = Execute(reporter, paths, parse.GetRequiredValue(recipe), parse, data, selection, parse.GetValue(verbose), result);
            return CompressResult.Write(reporter, result, Path.GetFullPath(resultPath), paths, reads.Files, exitCode);
        });
        return command;
    }

    private static int Execute(ConsoleReporter reporter, CompressPaths paths, string recipeName, ParseResult parse, DataOptions data, SelectionOptions selection, bool verbose,
        CompressionResultFile? outcome)
    {
        var modelPath = paths.Model;
        // Checked before anything runs: the clean-up below would otherwise delete the user's model.
        if (paths.Overlap() is { } overlap)
        {
            reporter.Error(modelPath, DiagnosticCodes.BadCommandLine, overlap);
            return ExitCodes.BadCommandLine;
        }
        return ModelCommandRunner.Run(reporter, modelPath, verbose, Compress, paths.DeleteOutputs);

        int Compress()
        {
            // Outputs of an earlier run go first: a failed run must not leave a stale model that looks current.
            paths.DeleteOutputs();
            var recipe = Recipe.Parse(recipeName);
            var budget = selection.Budget(parse, modelPath);
            var weights = selection.Weights(parse, modelPath);
            var int8 = selection.Int8(parse, modelPath);
            var target = selection.Target(parse, modelPath);
            reporter.Progress(modelPath, $"reading ({recipe.Text}); target CPU {TargetCpus.Name(target)}, this machine {InstructionSet.Current.Describe()}");
            var original = OnnxModelFile.Load(modelPath);
            // Before any recipe touches it (int8's opset upgrade among them): every recipe then gives the same error.
            RuntimeLoadCheck.Check(original, modelPath, "the model");
            var calibration = data.StreamCalibration(parse, original, modelPath);
            if (recipe.NeedsCalibrationData && calibration is null)
                throw new CompressionException(DiagnosticCodes.DataRequired, modelPath, DataRequiredMessages.CalibrationData(recipe.Name));
            var settings = new CompressionSettings { CalibrationInputs = calibration, Int8 = int8, Target = target };
            var progress = new ProgressLines(reporter, modelPath);

            var evaluation = data.LoadEvaluation(parse, original, modelPath);
            if (evaluation is null)
            {
                if (recipe.IsAuto || !budget.IsEmpty || paths.Report is not null || data.HasReference(parse))
                    throw new CompressionException(DiagnosticCodes.DataRequired, modelPath, DataRequiredMessages.EvaluationData());
                var result = ModelCompressor.Compress(original, recipe, settings, progress);
                foreach (var warning in result.Warnings)
                    reporter.Warning(modelPath, warning.Code, warning.Message);
                WriteModel(result.Model, result.StoredBytes(), result.RecipeName(recipe), result.Scheme, result.Folding);
                return ExitCodes.Success;
            }

            reporter.Progress(modelPath, string.Create(CultureInfo.InvariantCulture, $"evaluation data: {evaluation.Count} inputs, {EvaluationLabels.Describe(evaluation)}"));
            settings = settings with { EvaluationInputs = evaluation.Inputs };
            var candidates = recipe.IsAuto ? AutoCandidates.For(settings) : [Candidate.Of(recipe, int8)];
            var request = new SelectionRequest(evaluation, settings)
            {
                Budget = budget, Weights = weights, Comparison = data.Comparison(parse, original, evaluation, modelPath), Reference = data.LoadReference(parse, original),
            };
            var selected = ModelSelection.Run(Path.GetFileName(modelPath), original, File.ReadAllBytes(modelPath), candidates, request, recipe.IsAuto, progress);
            foreach (var warning in selected.Warnings)
                reporter.Warning(modelPath, warning.Code, warning.Message);
            SelectionText.Write(reporter, modelPath, selected);
            if (outcome is not null)
                CompressResult.Describe(outcome, selected);
            WriteModel(selected.Chosen.Model, selected.Chosen.ModelBytes, selected.Chosen.Candidate.Recipe.Name, selected.Chosen.Scheme, selected.Chosen.Folding);
            if (paths.Report is not null)
            {
                var html = ReportFiles.Write(selected, paths.Report);
                outcome?.Reports.AddRange([paths.Report, html]);
                reporter.Progress(modelPath, $"report: {paths.Report} and {html}");
            }
            if (!selected.ChosenMeetsBudgets)
            {
                // The one failure that keeps its outputs (docs/internals.md): the user needs them to see what went wrong.
                reporter.Error(modelPath, DiagnosticCodes.BudgetMissed, BudgetFailure.Message(selected));
                return ExitCodes.ModelFailed;
            }
            return ExitCodes.Success;

            // stored: what is embedded (a ModelBuild container for +huffman recipes, else the ONNX file itself).
            void WriteModel(ModelProto compressedModel, byte[] stored, string writtenRecipe, Int8Scheme? scheme, FakeQuantFolding folding)
            {
                var originalBytes = new FileInfo(modelPath).Length;
                var onnx = ModelContainer.IsContainer(stored) ? OnnxModelFile.ToBytes(compressedModel) : stored;
                long? decodedBytes = ReferenceEquals(onnx, stored) ? null : onnx.LongLength;
                RuntimeLoadCheck.Check(onnx, compressedModel, modelPath, $"the {writtenRecipe} output");
                var description = new ModelDescription(writtenRecipe, originalBytes, stored.LongLength, compressedModel, decodedBytes)
                {
                    IntegerKernels = scheme is { } used ? (target, used) : null,
                    QuantizationAwareTraining = folding.Folded ? folding.ToString() : null,
                };
                var text = ModelDescriptionWriter.Format(description);
                if (scheme is { } kernels)
                    reporter.Progress(modelPath, $"int8 scheme {TargetCpus.SchemeName(kernels)}: {TargetCpus.Describe(kernels)}, for target CPU {TargetCpus.Name(target)}");
                // With --container-output a container goes there and --output gets the ONNX; a plain result removes an old container.
                var written = decodedBytes is not null && paths.Container is { } containerPath ? containerPath : paths.Output;
                OnnxModelFile.WriteAllBytesAtomic(written, stored);
                if (written != paths.Output)
                    OnnxModelFile.WriteAllBytesAtomic(paths.Output, onnx);
                else if (paths.Container is { } stale)
                    OutputFiles.Delete([stale]);
                if (paths.Decoded is { } decodedPath)
                    OnnxModelFile.WriteAllBytesAtomic(decodedPath, onnx);
                OnnxModelFile.WriteAllBytesAtomic(paths.Description, ModelDescriptionWriter.Encoding.GetBytes(text));
                var inMemory = decodedBytes is { } decoded ? string.Create(CultureInfo.InvariantCulture, $"; a ModelBuild container of {decoded:N0} bytes of ONNX in memory") : "";
                reporter.Progress(modelPath, string.Create(CultureInfo.InvariantCulture,
                    $"wrote {Path.GetFileName(written)}: {stored.LongLength:N0} bytes stored of {originalBytes:N0} ({100.0 * stored.LongLength / Math.Max(1, originalBytes):F1}%){inMemory}"));
            }
        }
    }
}
