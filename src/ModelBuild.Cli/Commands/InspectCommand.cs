using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelBuild.Cli.Reporting;
using ModelBuild.Compression.Inspection;
using ModelBuild.Compression.Packing;

namespace ModelBuild.Cli.Commands;

/// <summary><c>modelbuild inspect &lt;model&gt; [--json]</c>: signature, opsets, weights per operator type.</summary>
public static class InspectCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Create(ConsoleReporter reporter, Option<bool> verbose)
    {
        var model = new Argument<string>("model") { Description = "The ONNX model (or ModelBuild container) to inspect." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON." };
        var command = new Command("inspect", "Show a model's signature, opsets and weights.") { model, json };
        command.SetAction(parse =>
        {
            var modelPath = parse.GetRequiredValue(model);
            return ModelCommandRunner.Run(reporter, modelPath, parse.GetValue(verbose), () =>
            {
                var stored = StoredModelFile.Load(modelPath);
                var inspection = ModelInspector.Inspect(stored.Model) with
                {
                    Container = stored.Container is { } c ? new ContainerSizes(c.FormatVersion, c.StoredBytes, c.DecodedBytes) : null,
                };
                if (parse.GetValue(json))
                    reporter.Output.WriteLine(JsonSerializer.Serialize(inspection, JsonOptions));
                else
                    InspectionText.Write(reporter.Output, modelPath, inspection);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
