using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>Compresses a model, runs original and compressed in ONNX Runtime on the same inputs, keeps both results.</summary>
public sealed record CompressionRun(
    ModelProto Original,
    CompressionResult Result,
    IReadOnlyDictionary<string, OutputTensor> Expected,
    IReadOnlyDictionary<string, OutputTensor> Actual)
{
    public static CompressionRun Of(ModelProto original, Recipe recipe, Dictionary<string, InputTensor> inputs)
    {
        var result = ModelCompressor.Compress(original, recipe);
        // The reference is exact: a model quantized elsewhere would saturate on x64 without VNNI (issue 7).
        var expected = OrtRunner.Run(ModelFacts.Bytes(original), inputs, exactInt8: true);
        // A u8s8 result runs as the generated class runs it: with the exact option where u8 x s8 saturates.
        var actual = OrtRunner.Run(ModelFacts.Bytes(result.Model), inputs, exactInt8: result.Scheme == ModelBuild.Compression.Targets.Int8Scheme.U8S8);
        return new CompressionRun(original, result, expected, actual);
    }

    public double RelativeError => OutputError.MaxRelative(Expected, Actual);

    public ModelProto Compressed => Result.Model;

    public IEnumerable<string> WarningCodes => Result.Warnings.Select(w => w.Code);
}
