using System.Globalization;
using Google.Protobuf;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using static ModelBuild.TestSupport.OnnxModelBuilder;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.TestSupport;

/// <summary>
/// Small real ONNX models built in code, each shaped like one of the zoo's quirks, so tests run without the zoo.
/// Weights come from a fixed seed: the same call always builds the same bytes.
/// </summary>
public static class TestModels
{
    /// <summary>Conv+Relu+MaxPool+Flatten+Gemm: <c>image</c> float[N,1,8,8] -> <c>scores</c> float[N,4], opset 13.</summary>
    public static ModelProto ConvClassifier(int seed = 1)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("image", DataType.Float, "N", 1, 8, 8)
            .Output("scores", DataType.Float, "N", 4)
            .Initializer(RandomFloats(random, "conv.weight", [4, 1, 3, 3]))
            .Initializer(RandomFloats(random, "conv.bias", [4], 0.1f))
            .Initializer(RandomFloats(random, "fc.weight", [64, 4], 0.2f))
            .Initializer(RandomFloats(random, "fc.bias", [4], 0.1f))
            .Node("Conv", ["image", "conv.weight", "conv.bias"], ["conv_out"],
                OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["conv_out"], ["relu_out"])
            .Node("MaxPool", ["relu_out"], ["pool_out"], OnnxAttributes.Ints("kernel_shape", 2, 2), OnnxAttributes.Ints("strides", 2, 2))
            .Node("Flatten", ["pool_out"], ["flat"], OnnxAttributes.Int("axis", 1))
            .Node("Gemm", ["flat", "fc.weight", "fc.bias"], ["scores"])
            .Build();
    }

    /// <summary>Two dense layers, MatMul with a constant [K,N] weight + Add bias each:
    /// <c>features</c> float[N,16] -> <c>output</c> float[N,8], opset 13.</summary>
    public static ModelProto MatMulModel(int seed = 2)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("features", DataType.Float, "N", 16)
            .Output("output", DataType.Float, "N", 8)
            .Initializer(RandomFloats(random, "dense1.weight", [16, 32]))
            .Initializer(RandomFloats(random, "dense1.bias", [32], 0.1f))
            .Initializer(RandomFloats(random, "dense2.weight", [32, 8]))
            .Initializer(RandomFloats(random, "dense2.bias", [8], 0.1f))
            .Node("MatMul", ["features", "dense1.weight"], ["mm1"])
            .Node("Add", ["mm1", "dense1.bias"], ["add1"])
            .Node("Relu", ["add1"], ["hidden"])
            .Node("MatMul", ["hidden", "dense2.weight"], ["mm2"])
            .Node("Add", ["mm2", "dense2.bias"], ["output"])
            .Build();
    }

    /// <summary>
    /// Every weight in a Constant node and zero initializers, like PP-OCRv4; also the scalar and list forms
    /// (value_float, value_ints). <c>x</c> float[N,3,8,8] -> <c>y</c> float[N,5], opset 13.
    /// </summary>
    public static ModelProto ConstantWeightsModel(int seed = 3)
    {
        var random = new Random(seed);
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 3, 8, 8)
            .Output("y", DataType.Float, "N", 5)
            .Constant(RandomFloats(random, "conv_w", [4, 3, 3, 3]))
            .Constant(RandomFloats(random, "conv_b", [4], 0.1f))
            .Constant(RandomFloats(random, "fc_w", [256, 5], 0.1f))
            .Constant(RandomFloats(random, "fc_b", [5], 0.1f))
            .Node("Constant", [], ["flat_shape"], OnnxAttributes.Ints("value_ints", 0, -1))
            .Node("Constant", [], ["scale"], OnnxAttributes.Float("value_float", 0.5f))
            .Node("Conv", ["x", "conv_w", "conv_b"], ["conv_out"], OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["conv_out"], ["relu_out"])
            .Node("Reshape", ["relu_out", "flat_shape"], ["flat"])
            .Node("MatMul", ["flat", "fc_w"], ["mm"])
            .Node("Add", ["mm", "fc_b"], ["logits"])
            .Node("Mul", ["logits", "scale"], ["y"]);
        return builder.Build();
    }

    /// <summary>
    /// IR 3 / opset 8 with every initializer also listed as a graph input, like the zoo's MNIST (CNTK export):
    /// <c>Input3</c> float[1,1,8,8] -> <c>Plus_Output</c> float[1,3].
    /// </summary>
    public static ModelProto Ir3Model(int seed = 4)
    {
        var random = new Random(seed);
        var initializers = new[]
        {
            RandomFloats(random, "Parameter5", [2, 1, 3, 3]),
            RandomFloats(random, "Parameter6", [2, 1, 1], 0.1f),
            TensorData.FromInt64("Shape_Const", [2], [1, 128]),
            RandomFloats(random, "Parameter193", [128, 3], 0.1f),
            RandomFloats(random, "Parameter194", [1, 3], 0.1f),
        };
        var builder = new OnnxModelBuilder(opset: 8, irVersion: 3)
            .Input("Input3", DataType.Float, 1, 1, 8, 8)
            .Output("Plus_Output", DataType.Float, 1, 3);
        foreach (var tensor in initializers)
        {
            builder.Initializer(tensor);
            builder.Input(tensor.Name, (DataType)tensor.DataType, tensor.Dims.Cast<object>().ToArray());
        }
        return builder
            .Node("Conv", ["Input3", "Parameter5"], ["Convolution_Output"],
                OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["Convolution_Output", "Parameter6"], ["Plus_Conv"])
            .Node("Relu", ["Plus_Conv"], ["ReLU_Output"])
            .Node("Reshape", ["ReLU_Output", "Shape_Const"], ["Reshape_Output"])
            .Node("MatMul", ["Reshape_Output", "Parameter193"], ["Times_Output"])
            .Node("Add", ["Times_Output", "Parameter194"], ["Plus_Output"])
            .Build();
    }

    /// <summary>
    /// Inputs of four element types feeding real ops: <c>values</c> float[N,4], <c>offsets</c> int64[N,4],
    /// <c>pixels</c> uint8[N,4], <c>mask</c> bool[N,4] -> <c>selected</c> float[N,4], <c>count</c> int64[N].
    /// </summary>
    public static ModelProto MultiInputModel(int seed = 5)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("values", DataType.Float, "N", 4)
            .Input("offsets", DataType.Int64, "N", 4)
            .Input("pixels", DataType.Uint8, "N", 4)
            .Input("mask", DataType.Bool, "N", 4)
            .Output("selected", DataType.Float, "N", 4)
            .Output("count", DataType.Int64, "N")
            .Initializer(RandomFloats(random, "gain", [4]))
            .Initializer(TensorData.FromInt64("reduce_axes", [1], [1]))
            .Node("Cast", ["offsets"], ["offsets_f"], OnnxAttributes.Int("to", (long)DataType.Float))
            .Node("Cast", ["pixels"], ["pixels_f"], OnnxAttributes.Int("to", (long)DataType.Float))
            .Node("Add", ["values", "offsets_f"], ["sum1"])
            .Node("Add", ["sum1", "pixels_f"], ["sum2"])
            .Node("Mul", ["sum2", "gain"], ["scaled"])
            .Node("Where", ["mask", "scaled", "values"], ["selected"])
            .Node("Cast", ["mask"], ["mask_i"], OnnxAttributes.Int("to", (long)DataType.Int64))
            .Node("ReduceSum", ["mask_i", "reduce_axes"], ["count"], OnnxAttributes.Int("keepdims", 0))
            .Build();
    }

    /// <summary>
    /// <see cref="MatMulModel"/> with its weights in an external data file (<c>external.weights</c>, 64-byte
    /// aligned, as onnx's save_model writes them). Writes both files into <paramref name="folder"/> and returns the
    /// model's path.
    /// </summary>
    public static string ExternalDataModel(string folder, int seed = 2)
    {
        const string dataFileName = "external.weights";
        var model = MatMulModel(seed);
        using var data = new MemoryStream();
        foreach (var tensor in model.Graph.Initializer)
        {
            data.Position = (data.Length + 63) / 64 * 64;
            var offset = data.Position;
            tensor.RawData.WriteTo(data);
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataFileName });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(CultureInfo.InvariantCulture) });
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.RawData = ByteString.Empty;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, dataFileName), data.ToArray());
        var modelPath = Path.Combine(folder, "external.onnx");
        File.WriteAllBytes(modelPath, model.ToByteArray());
        return modelPath;
    }

    /// <summary>
    /// An If whose branches are subgraphs reading the outer graph's values: the then-branch scales by a Constant
    /// (a weight inside a subgraph), the else-branch adds an outer initializer. <c>x</c> float[N,4] and
    /// <c>use_scale</c> bool scalar -> <c>y</c> float[N,4], opset 13. Not in <see cref="All"/>: passes that only
    /// handle the top-level graph should opt in deliberately.
    /// </summary>
    public static ModelProto SubgraphModel(int seed = 6)
    {
        var random = new Random(seed);
        var thenBranch = new GraphProto { Name = "then_branch" };
        thenBranch.Node.Add(new NodeProto { OpType = "Constant", Name = "scale_const", Output = { "scale" },
            Attribute = { OnnxAttributes.Tensor("value", RandomFloats(random, "scale", [4])) } });
        thenBranch.Node.Add(new NodeProto { OpType = "Mul", Name = "scale_x", Input = { "x", "scale" }, Output = { "then_y" } });
        thenBranch.Output.Add(ValueInfo("then_y", DataType.Float, "N", 4));
        var elseBranch = new GraphProto { Name = "else_branch" };
        elseBranch.Node.Add(new NodeProto { OpType = "Add", Name = "shift_x", Input = { "x", "shift" }, Output = { "else_y" } });
        elseBranch.Output.Add(ValueInfo("else_y", DataType.Float, "N", 4));
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 4)
            .Input("use_scale", DataType.Bool)
            .Output("y", DataType.Float, "N", 4)
            .Initializer(RandomFloats(random, "shift", [4]))
            .Node("If", ["use_scale"], ["y"],
                new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch },
                new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch })
            .Build();
    }

    /// <summary>
    /// Like a Fashion-MNIST CNN exported from PyTorch at opset 10 with a dynamic input batch only: the traced batch of
    /// 128 stays in the outputs' declared shapes and the intermediates' value_info. Two outputs, <c>logits</c> (the
    /// Gemm) and <c>log_probs</c> (LogSoftmax, axis 1): <c>image</c> float[N,1,8,8] -> float[128,4] twice, as declared.
    /// </summary>
    public static ModelProto FixedBatchOutputsClassifier(int seed = 8)
    {
        var random = new Random(seed);
        var model = new OnnxModelBuilder(opset: 10, irVersion: 5)
            .Input("image", DataType.Float, "N", 1, 8, 8)
            .Output("log_probs", DataType.Float, 128, 4)
            .Output("logits", DataType.Float, 128, 4)
            .Initializer(RandomFloats(random, "conv.weight", [4, 1, 3, 3]))
            .Initializer(RandomFloats(random, "conv.bias", [4], 0.1f))
            .Initializer(RandomFloats(random, "fc.weight", [4, 64], 0.2f))
            .Initializer(RandomFloats(random, "fc.bias", [4], 0.1f))
            .Node("Conv", ["image", "conv.weight", "conv.bias"], ["conv_out"],
                OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["conv_out"], ["relu_out"])
            .Node("MaxPool", ["relu_out"], ["pool_out"], OnnxAttributes.Ints("kernel_shape", 2, 2), OnnxAttributes.Ints("strides", 2, 2))
            .Node("Flatten", ["pool_out"], ["flat"], OnnxAttributes.Int("axis", 1))
            .Node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], OnnxAttributes.Int("transB", 1))
            .Node("LogSoftmax", ["logits"], ["log_probs"], OnnxAttributes.Int("axis", 1))
            .Build();
        model.Graph.ValueInfo.Add(ValueInfo("conv_out", DataType.Float, 128, 4, 8, 8));
        model.Graph.ValueInfo.Add(ValueInfo("relu_out", DataType.Float, 128, 4, 8, 8));
        model.Graph.ValueInfo.Add(ValueInfo("pool_out", DataType.Float, 128, 4, 4, 4));
        model.Graph.ValueInfo.Add(ValueInfo("flat", DataType.Float, 128, 64));
        return model;
    }

    /// <summary>Every in-code model by name, for theories.</summary>
    public static IReadOnlyDictionary<string, Func<ModelProto>> All { get; } = new Dictionary<string, Func<ModelProto>>
    {
        [nameof(ConvClassifier)] = () => ConvClassifier(),
        [nameof(MatMulModel)] = () => MatMulModel(),
        [nameof(ConstantWeightsModel)] = () => ConstantWeightsModel(),
        [nameof(Ir3Model)] = () => Ir3Model(),
        [nameof(MultiInputModel)] = () => MultiInputModel(),
    };
}
