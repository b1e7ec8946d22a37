using System.CommandLine;
using System.Globalization;
using ModelBuild.Cli.Reporting;
using ModelBuild.Compression;
using ModelBuild.Compression.Description;
using ModelBuild.Onnx;

namespace ModelBuild.Cli.Commands;

/// <summary><c>modelbuild compress &lt;model&gt; --recipe R --output out.onnx --description out.modeldesc</c>.</summary>
public static class CompressCommand
{
    public static Command Create(ConsoleReporter reporter, Option<bool> verbose)
    {
        var model = new Argument<string>("model") { Description = "The ONNX model to compress." };
        var recipe = new Option<string>("--recipe") { Description = "none, fp16 or int8-dynamic.", Required = true };
        var output = new Option<string>("--output") { Description = "Where to write the compressed model.", Required = true };
        var description = new Option<string>("--description") { Description = "Where to write the model description.", Required = true };
        var command = new Command("compress", "Compress a model and write its description.") { model, recipe, output, description };
        command.SetAction(parse => Execute(
            reporter,
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(recipe),
            Path.GetFullPath(parse.GetRequiredValue(output)),
            Path.GetFullPath(parse.GetRequiredValue(description)),
            parse.GetValue(verbose)));
        return command;
    }

    private static int Execute(ConsoleReporter reporter, string modelPath, string recipeName, string outputPath, string descriptionPath, bool verbose)
    {
        // Checked before anything runs: the clean-up below would otherwise delete the user's model.
        var modelFullPath = Path.GetFullPath(modelPath);
        if (outputPath == modelFullPath || descriptionPath == modelFullPath || outputPath == descriptionPath)
        {
            reporter.Error(modelPath, ErrorCodes.BadCommandLine,
                $"--output ({outputPath}) and --description ({descriptionPath}) must be two different files, neither of them the model. Choose other paths");
            return ExitCodes.BadCommandLine;
        }
        return ModelCommandRunner.Run(reporter, modelPath, verbose, Compress, DeleteOutputs);

        int Compress()
        {
            // Outputs of an earlier run go first: a failed run must not leave a stale model that looks current.
            DeleteOutputs();
            var recipe = Recipe.Parse(recipeName);
            reporter.Progress(modelPath, $"reading ({recipe.Name})");
            var original = OnnxModelFile.Load(modelPath);
            var result = ModelCompressor.Compress(original, recipe, new ProgressLines(reporter, modelPath));
            foreach (var warning in result.Warnings)
                reporter.Warning(modelPath, warning.Code, warning.Message);

            var compressed = OnnxModelFile.ToBytes(result.Model);
            var originalBytes = new FileInfo(modelPath).Length;
            var text = ModelDescriptionWriter.Format(new ModelDescription(recipe.Name, originalBytes, compressed.LongLength, result.Model));
            OnnxModelFile.WriteAllBytesAtomic(outputPath, compressed);
            OnnxModelFile.WriteAllBytesAtomic(descriptionPath, ModelDescriptionWriter.Encoding.GetBytes(text));
            reporter.Progress(modelPath, string.Create(CultureInfo.InvariantCulture,
                $"wrote {Path.GetFileName(outputPath)}: {compressed.LongLength:N0} bytes of {originalBytes:N0} ({100.0 * compressed.LongLength / Math.Max(1, originalBytes):F1}%)"));
            return ExitCodes.Success;
        }

        void DeleteOutputs() => OutputFiles.Delete(outputPath, descriptionPath);
    }
}
