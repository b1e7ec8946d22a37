using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.TestSupport;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>The generated class compiled into an app and run for real, compared with ONNX Runtime called directly.</summary>
public sealed class GeneratedClassConsumptionTests(MultiInputApp app) : IClassFixture<MultiInputApp>
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(7, 3)]
    public void RunMatchesOnnxRuntimeCalledDirectly(long n, int seed)
    {
        var inputs = RandomInputs.For(MultiInputApp.Model, seed, dynamicSize: n);
        var expected = OrtRunner.Run(MultiInputApp.ModelBytes, inputs);
        using var model = app.Create();

        var actual = app.Run(model, inputs, n);

        OutputAssert.Same(expected, actual);
        Assert.Equal([n, 4], actual["selected"].Shape);
        Assert.Equal([n], actual["count"].Shape);
    }

    [Fact]
    public void InfoDescribesTheEmbeddedModel()
    {
        var info = app.Info();

        Assert.Equal("ModelBuild.Sample.Models.Multi.onnx", info.ResourceName);
        Assert.Equal("none", info.Recipe);
        Assert.Equal(MultiInputApp.ModelBytes.Length, info.OriginalBytes);
        Assert.Equal(MultiInputApp.ModelBytes.Length, info.StoredBytes);
        Assert.Equal(["values", "offsets", "pixels", "mask"], info.InputNames);
        Assert.Equal(["selected", "count"], info.OutputNames);
    }

    [Fact]
    public void WrongLengthNamesTheTensorTheShapeAndTheLength()
    {
        var inputs = RandomInputs.For(MultiInputApp.Model, seed: 1, dynamicSize: 3);
        inputs["pixels"] = new InputTensor(new byte[11], [3, 4]);
        using var model = app.Create();

        var error = Assert.Throws<ArgumentException>(() => app.Run(model, inputs, n: 3));

        Assert.Equal("pixels", error.ParamName);
        Assert.Contains("'pixels'", error.Message);
        Assert.Contains("[3, 4]", error.Message);
        Assert.Contains("11 values", error.Message);
    }

    [Fact]
    public void NegativeDynamicDimensionIsRejected()
    {
        var inputs = RandomInputs.For(MultiInputApp.Model, seed: 1, dynamicSize: 1);
        using var model = app.Create();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => app.Run(model, inputs, n: -1));

        Assert.Contains("[-1, 4]", error.Message);
    }

    /// <summary>
    /// Issue 8: a dimension whose element count overflows 64 bits (2^62 x 4) threw OverflowException, which the docs
    /// do not list; now every shape problem is an ArgumentException naming the parameter.
    /// </summary>
    [Theory]
    [InlineData(1L << 59, "values")]
    [InlineData(1L << 62, "overflow")]
    [InlineData(long.MaxValue, "overflow")]
    public void HugeDynamicDimensionIsAnArgumentException(long n, string expectedText)
    {
        var inputs = RandomInputs.For(MultiInputApp.Model, seed: 1, dynamicSize: 1);
        using var model = app.Create();

        var error = Assert.Throws<ArgumentException>(() => app.Run(model, inputs, n));

        Assert.Equal("values", error.ParamName);
        Assert.Contains($"[{n}, 4]", error.Message);
        Assert.Contains(expectedText == "overflow" ? "exceeds 9223372036854775807" : "values were given", error.Message);
    }

    [Fact]
    public void ManyThreadsShareOneInstance()
    {
        var cases = Enumerable.Range(1, 24)
            .Select(seed => RandomInputs.For(MultiInputApp.Model, seed, dynamicSize: 1 + seed % 5))
            .Select(inputs => (Inputs: inputs, N: inputs["values"].Shape[0], Expected: OrtRunner.Run(MultiInputApp.ModelBytes, inputs)))
            .ToList();
        using var model = app.Create();

        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, testCase =>
        {
            for (var repeat = 0; repeat < 5; repeat++)
                OutputAssert.Same(testCase.Expected, app.Run(model, testCase.Inputs, testCase.N));
        });
    }

    [Fact]
    public void DisposeIsIdempotentAndLaterRunsThrow()
    {
        var inputs = RandomInputs.For(MultiInputApp.Model, seed: 1);
        var model = app.Create();

        model.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => app.Run(model, inputs, n: 1));
    }

    [Fact]
    public void CancelledTokenStopsTheRun()
    {
        var inputs = RandomInputs.For(MultiInputApp.Model, seed: 1);
        using var model = app.Create();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => app.Run(model, inputs, n: 1, cancellation.Token));
    }

    [Fact]
    public void ModelThatDoesNotMatchTheClassFailsAtConstruction()
    {
        // The class is generated for MultiInputModel but the resource holds another model: a stale build output.
        var stale = CompiledApp.Build("Stale", MultiInputApp.Model, "",
            embeddedBytes: Google.Protobuf.MessageExtensions.ToByteArray(TestModels.MatMulModel()));

        var error = Assert.Throws<InvalidOperationException>(() => stale.Construct("Sample.Models.Stale"));

        Assert.Contains("'values'", error.Message);
        Assert.Contains("'features'", error.Message);
    }

    [Fact]
    public void MissingResourceNamesWhatIsThere()
    {
        var broken = CompiledApp.Build("Unembedded", MultiInputApp.Model, "", resourceName: "Somewhere.Else.onnx");

        var error = Assert.Throws<InvalidOperationException>(() => broken.Construct("Sample.Models.Unembedded"));

        Assert.Contains("ModelBuild.Sample.Models.Unembedded.onnx", error.Message);
        Assert.Contains("Somewhere.Else.onnx", error.Message);
    }
}
