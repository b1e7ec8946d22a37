using System.Globalization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.TestSupport;

/// <summary>Builds small ONNX models in code. Dimensions are numbers (fixed) or strings (dim_param names).</summary>
public sealed class OnnxModelBuilder(long opset, long irVersion = 8)
{
    private readonly GraphProto _graph = new() { Name = "test_graph" };
    private int _nodeCount;

    public OnnxModelBuilder Input(string name, DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxModelBuilder Output(string name, DataType type, params object[] dims)
    {
        _graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxModelBuilder Initializer(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}_{_nodeCount++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>A Constant node whose output is <paramref name="tensor"/>'s name, holding it in attribute "value".</summary>
    public OnnxModelBuilder Constant(TensorProto tensor) =>
        Node("Constant", [], [tensor.Name], OnnxAttributes.Tensor("value", tensor));

    public ModelProto Build()
    {
        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "ModelBuild.TestSupport",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    public static ValueInfoProto ValueInfo(string name, DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string param
                ? new TensorShapeProto.Types.Dimension { DimParam = param }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, CultureInfo.InvariantCulture) });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    /// <summary>Seeded weights in [-scale, scale), so every run builds byte-identical models.</summary>
    public static TensorProto RandomFloats(Random random, string name, long[] dims, float scale = 0.5f)
    {
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = (random.NextSingle() * 2 - 1) * scale;
        return TensorData.FromFloats(name, dims, values);
    }
}
