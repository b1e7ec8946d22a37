using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Tasks.Tests.Support;
using ModelBuild.Tasks.Resolution;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Resolution;

/// <summary>The task's checks of ClassName, run without MSBuild (the end-to-end tests run it in real builds).</summary>
public sealed class ResolveOnnxModelsTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>
    /// Issue 8: ClassName <c>Info</c> or <c>Run</c> passed the task and failed the build with CS0542 inside the
    /// generated file; the task now reports MB1007 against the project file.
    /// </summary>
    [Theory]
    [InlineData("Info", null)]
    [InlineData("Run", null)]
    [InlineData(null, "run.onnx")]
    public void A_class_named_like_a_member_of_the_generated_class_is_MB1007(string? className, string? fileName)
    {
        var (task, engine) = Resolve(className, fileName ?? "digits.onnx");

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("MB1007", error.Code);
        Assert.Equal(task.ProjectFile, error.File);
        Assert.Contains($"ClassName '{className ?? "Run"}' is the name of a member of the generated class (Info, Run)", error.Message);
        Assert.Contains($"such as '{className ?? "Run"}Model'", error.Message);
        Assert.Empty(task.ResolvedModels);
    }

    [Theory]
    [InlineData("Information")]
    [InlineData("Runner")]
    [InlineData("info")]
    public void Names_that_only_resemble_a_member_pass(string className)
    {
        var (task, engine) = Resolve(className, "digits.onnx");

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.Equal(className, Assert.Single(task.ResolvedModels).GetMetadata("ClassName"));
    }

    /// <summary>The one validator (ModelBuild.Contracts): reserved keywords, and contextual ones no type may be named.</summary>
    [Theory]
    [InlineData("class")]
    [InlineData("__arglist")]
    [InlineData("record")]
    [InlineData("file")]
    public void A_class_named_like_a_keyword_the_compiler_refuses_is_MB1007(string className)
    {
        var (task, engine) = Resolve(className, "digits.onnx");

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.InvalidIdentifier, error.Code);
        Assert.Contains($"ClassName '{className}' is not a valid C# identifier", error.Message);
    }

    /// <summary>The generator's clash rule, now the task's too: a class named like another's output class, ignoring case.</summary>
    [Theory]
    [InlineData("Digits", "DigitsOutput", "App.Models.DigitsOutput")]
    [InlineData("DigitsOutput", "Digits", "App.Models.DigitsOutput")]
    [InlineData("Digits", "DIGITS", "App.Models.DIGITS")]
    public void A_second_model_whose_class_or_output_class_is_taken_is_MB1006_naming_both(string first, string second, string clashing)
    {
        var (task, engine) = Resolve(first, "first.onnx");
        var secondPath = folder.File("Models/second.onnx");
        File.Copy(folder.File("Models/first.onnx"), secondPath);
        var secondItem = ResolveTaskRun.Item("Models/second.onnx");
        secondItem.SetMetadata("ClassName", second);
        task.Models = [.. task.Models, secondItem];

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.ClassClash, error.Code);
        Assert.Equal(task.ProjectFile, error.File);
        Assert.Contains($"OnnxModel 'Models/second.onnx' would generate class '{clashing}', which OnnxModel 'Models/first.onnx' already generates", error.Message);
        Assert.Equal(first, Assert.Single(task.ResolvedModels).GetMetadata("ClassName"));
    }

    /// <summary>Issue 10 item 6: the compressed model is named for what it is; a container has its decoded ONNX beside it.</summary>
    [Theory]
    [InlineData("int8-dynamic", "Digits.onnx", "")]
    [InlineData("none", "Digits.onnx", "")]
    [InlineData("int8-dynamic+huffman", "Digits.mbc", "Digits.decoded.onnx")]
    [InlineData("huffman", "Digits.mbc", "Digits.decoded.onnx")]
    public void A_packed_recipe_writes_a_mbc_container_and_its_decoded_onnx_under_the_usual_resource_name(string recipe, string compressed, string decoded)
    {
        var (task, engine) = ResolveTaskRun.Prepare(folder, "digits.onnx", item => item.SetMetadata("Compression", recipe));

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        var item = Assert.Single(task.ResolvedModels);
        var outputDirectory = item.GetMetadata("OutputDirectory");
        Assert.Equal(Path.Combine(outputDirectory, compressed), item.GetMetadata("CompressedPath"));
        Assert.Equal(decoded.Length == 0 ? "" : Path.Combine(outputDirectory, decoded), item.GetMetadata("DecodedPath"));
        Assert.EndsWith(".Digits.onnx", item.GetMetadata("ResourceName"), StringComparison.Ordinal);
    }

    private (ResolveOnnxModels Task, RecordingBuildEngine Engine) Resolve(string? className, string fileName) =>
        ResolveTaskRun.Prepare(folder, fileName, item =>
        {
            if (className is not null) item.SetMetadata("ClassName", className);
        });
}
