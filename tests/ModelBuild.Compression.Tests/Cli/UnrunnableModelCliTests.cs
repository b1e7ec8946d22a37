using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// Models ONNX Runtime cannot run (an operator of a custom domain, an operator nobody implements) fail
/// <c>modelbuild compress</c> with MB1023 naming the operator, under every recipe, instead of building a class the
/// app can never construct.
/// </summary>
public sealed class UnrunnableModelCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 8, seed: 9, classCount: 4);

    public void Dispose() => images.Dispose();

    private string Output => images.PathOf("out/Model.onnx");

    private string Description => images.PathOf("out/Model.modeldesc");

    /// <summary>The classifier with its Relu replaced by <paramref name="opType"/> of <paramref name="domain"/>.</summary>
    private string WriteModel(string opType, string domain)
    {
        var model = TestModels.ConvClassifier();
        var relu = model.Graph.Node.Single(node => node.OpType == "Relu");
        relu.OpType = opType;
        relu.Domain = domain;
        if (domain.Length > 0)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = 1 });
        var path = images.PathOf($"{opType}.onnx");
        File.WriteAllBytes(path, OnnxModelFile.ToBytes(model));
        return path;
    }

    private CliResult Compress(string model, string recipe) =>
        CliProcess.Run(["compress", model, "--recipe", recipe, "--output", Output, "--description", Description,
            .. recipe.StartsWith("int8", StringComparison.Ordinal) && recipe != "int8-dynamic" ? ["--calibration-data", images.Unlabeled] : Array.Empty<string>()]);

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    [InlineData("int8")]
    [InlineData("none")]
    public void An_operator_of_a_custom_domain_is_MB1023_naming_operator_and_domain(string recipe)
    {
        var model = WriteModel("FancyActivation", "com.example.custom");

        var result = Compress(model, recipe);

        AssertMB1023(result, model);
        Assert.Contains("operator 'FancyActivation' of custom domain 'com.example.custom'", result.StandardError);
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    [InlineData("int8")]
    public void An_unknown_operator_is_MB1023_naming_it_the_same_way_under_every_recipe(string recipe)
    {
        var model = WriteModel("Frobnicate", "");

        var result = Compress(model, recipe);

        AssertMB1023(result, model);
        Assert.Contains("operator 'Frobnicate' (domain 'ai.onnx')", result.StandardError);
    }

    private void AssertMB1023(CliResult result, string model)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"{model}: error MB1023: ONNX Runtime cannot run the model: ", line);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.False(File.Exists(Output) || File.Exists(Description), "an output was written for a model ONNX Runtime cannot run");
    }
}
