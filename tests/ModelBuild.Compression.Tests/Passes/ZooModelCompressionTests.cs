using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Passes;

/// <summary>
/// Every recipe on every zoo model, run in ONNX Runtime on seeded random inputs against the original. Accuracy on
/// the labeled data is measured in Accuracy/; here: it runs, stays close, shrinks, and never emits ConvInteger.
/// </summary>
public sealed class ZooModelCompressionTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> ModelsAndRecipes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in ZooModelFiles.All())
        {
            foreach (var recipe in new[] { "fp16", "int8-dynamic" })
                data.Add((string)row[0], (string)row[1], recipe);
        }
        return data;
    }

    [ZooTheory]
    [MemberData(nameof(ModelsAndRecipes))]
    public void Compressed_zoo_model_runs_close_to_the_original_and_is_smaller(string folder, string file, string recipeName)
    {
        var path = Zoo.PathOf(folder, file);
        var original = OnnxModelFile.Load(path);
        var recipe = Recipe.Parse(recipeName);

        var run = CompressionRun.Of(original, recipe, ZooModelFiles.Inputs(original, file));

        var originalBytes = new FileInfo(path).Length;
        var storedBytes = ModelFacts.Bytes(run.Compressed).LongLength;
        output.WriteLine($"{file} {recipeName}: {originalBytes:N0} -> {storedBytes:N0} bytes ({(double)storedBytes / originalBytes:P1}), max output error {run.RelativeError:P3} of the largest output, warnings [{string.Join(", ", run.WarningCodes)}]");
        Assert.DoesNotContain("ConvInteger", ModelFacts.OperatorTypes(run.Compressed));
        if (file.Contains("int8"))
        {
            // Passed through for the portable target: same size, the same outputs (exact ones where u8 x s8 saturates: the measurement's sessions guard them).
            Assert.Equal(["MB2001"], run.WarningCodes);
            Assert.Equal(ModelFacts.Bytes(original).Length, ModelFacts.Bytes(run.Compressed).Length);
            Assert.Equal(0, run.RelativeError);
            return;
        }
        Assert.Empty(run.WarningCodes);
        if (file.Contains("_det_"))
        {
            // A probability map: pixels on a text edge may swing far while the boxes stay; compare the text masks.
            var agreement = OutputError.MaskAgreement(run.Expected, run.Actual, Tolerances.TextDetectionThreshold);
            output.WriteLine($"text mask agreement (IoU at {Tolerances.TextDetectionThreshold}): {agreement:P2}");
            Assert.True(agreement >= Tolerances.TextMaskAgreement(recipe),
                $"{file} with {recipeName}: text masks agree {agreement:P2}; required {Tolerances.TextMaskAgreement(recipe):P0}");
        }
        else
        {
            Assert.True(run.RelativeError <= Tolerances.For(recipe),
                $"{file} with {recipeName}: outputs differ by {run.RelativeError:P3} of the largest output; allowed {Tolerances.For(recipe):P1}");
        }
        // Weights are nearly the whole file: fp16 halves them, int8 quarters the Conv/MatMul ones.
        var maxRatio = recipeName == "fp16" ? 0.56 : 0.40;
        Assert.True(storedBytes <= maxRatio * originalBytes,
            $"{file} with {recipeName}: {storedBytes:N0} of {originalBytes:N0} bytes; expected at most {maxRatio:P0}");
    }
}
