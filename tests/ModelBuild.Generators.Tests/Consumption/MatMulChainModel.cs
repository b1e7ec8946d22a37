using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>
/// <c>y = x^(count+1)</c> as a chain of square MatMuls: work that grows with the size and the count, for tests that
/// need a run to be in flight (cancellation, Dispose). An identity input gives an identity output.
/// </summary>
internal static class MatMulChainModel
{
    /// <param name="count">MatMul nodes in the chain.</param>
    /// <param name="size">The side of x and y: a number, or a name for a dynamic dimension (a <c>long</c> parameter of Run).</param>
    public static ModelProto Build(int count, object size)
    {
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, size, size)
            .Output("y", DataType.Float, size, size);
        for (var i = 1; i <= count; i++)
            builder.Node("MatMul", [i == 1 ? "x" : $"y{i - 1}", "x"], [i == count ? "y" : $"y{i}"]);
        return builder.Build();
    }
}
