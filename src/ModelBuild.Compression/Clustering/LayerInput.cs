using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Clustering;

/// <summary>
/// Which activation a layer multiplies its weight with, the axis of that activation's channels (-1: the last), how many
/// channels it has, the input channel each weight element multiplies and the output channel it adds to: what turns the
/// input's statistics (<see cref="InputChannelStatistics"/>) into a cost per weight element and a bias correction per
/// output channel.
/// </summary>
internal sealed record LayerInput(string Activation, int Axis, int Channels, Func<long, int> ChannelOf)
{
    /// <summary>The output channel of each weight element and how many there are; null where the bias is not corrected (ConvTranspose).</summary>
    public (int Count, Func<long, int> Of)? Outputs { get; init; }

    /// <summary>The input of <paramref name="layer"/> (Conv, ConvTranspose, Gemm or a rank-2 MatMul weight) for its weight of <paramref name="dims"/>, or null.</summary>
    public static LayerInput? Of(NodeProto layer, long[] dims)
    {
        if (layer.Input.Count < 2 || layer.Input[0].Length == 0) return null;
        var activation = layer.Input[0];
        var inner = 1L;
        for (var d = 2; d < dims.Length; d++) inner *= dims[d];
        switch (layer.OpType)
        {
            case "Conv" when dims.Length >= 3:
            {
                // Weight [O, C/group, k...]: output o reads input channels of its group.
                var groups = GraphEditor.IntAttribute(layer, "group", 1);
                var perGroup = dims[1];
                var outputsPerGroup = Math.Max(1, dims[0] / groups);
                return new LayerInput(activation, 1, checked((int)(perGroup * groups)),
                    i => (int)(i / (perGroup * inner) / outputsPerGroup * perGroup + i / inner % perGroup))
                {
                    Outputs = (checked((int)dims[0]), i => (int)(i / (perGroup * inner))),
                };
            }
            case "ConvTranspose" when dims.Length >= 3:
                return new LayerInput(activation, 1, checked((int)dims[0]), i => (int)(i / (dims[1] * inner)));
            case "Gemm" when dims.Length == 2:
            {
                var axis = GraphEditor.IntAttribute(layer, "transA", 0) != 0 ? 0 : 1;
                return GraphEditor.IntAttribute(layer, "transB", 0) != 0
                    ? new LayerInput(activation, axis, checked((int)dims[1]), i => (int)(i % dims[1])) { Outputs = (checked((int)dims[0]), i => (int)(i / dims[1])) }
                    : new LayerInput(activation, axis, checked((int)dims[0]), i => (int)(i / dims[1])) { Outputs = (checked((int)dims[1]), i => (int)(i % dims[1])) };
            }
            case "MatMul" when dims.Length == 2:
                return new LayerInput(activation, -1, checked((int)dims[0]), i => (int)(i / dims[1])) { Outputs = (checked((int)dims[1]), i => (int)(i % dims[1])) };
            default:
                return null;
        }
    }
}
