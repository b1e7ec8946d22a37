using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Graphs;

/// <summary>Builds the few nodes the passes add, in the form the model's opset expects.</summary>
internal static class NodeFactory
{
    /// <summary>Cast to float. Before opset 6 Cast's <c>to</c> was a string (<c>"FLOAT"</c>), an int since.</summary>
    public static NodeProto CastToFloat(string input, string output, long opset)
    {
        var to = opset >= 6
            ? new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)DataType.Float }
            : new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("FLOAT") };
        return Node("Cast", $"{output}_cast", [input], output, to);
    }

    public static NodeProto Mul(string left, string right, string output) => Node("Mul", $"{output}_mul", [left, right], output);

    public static NodeProto Node(string opType, string name, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }
}
