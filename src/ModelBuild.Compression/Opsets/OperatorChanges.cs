namespace ModelBuild.Compression.Opsets;

/// <summary>
/// For each operator the upgrader knows, the oldest opset from which a node carries over to opset 13 unchanged:
/// every later revision up to 13 only added types, inputs with defaults, or negative axes (ONNX's Changelog.md).
/// Operators whose changes need rewriting are in <see cref="NodeUpgrades"/>; anything else is refused.
/// </summary>
internal static class OperatorChanges
{
    public static IReadOnlyDictionary<string, long> UnchangedSince { get; } = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        // Version 7 dropped the legacy broadcast/axis attributes in favour of numpy broadcasting.
        ["Add"] = 7, ["Sub"] = 7, ["Mul"] = 7, ["Div"] = 7, ["Pow"] = 7, ["Gemm"] = 7, ["PRelu"] = 7, ["Equal"] = 7,
        // Version 6 dropped consumed_inputs.
        ["Relu"] = 6, ["Sigmoid"] = 6, ["Sqrt"] = 6, ["Exp"] = 6, ["Log"] = 6, ["Tanh"] = 6, ["Neg"] = 6, ["Abs"] = 6,
        ["Reciprocal"] = 6, ["Floor"] = 6, ["Ceil"] = 6, ["HardSigmoid"] = 6, ["LeakyRelu"] = 6, ["Elu"] = 6, ["Tile"] = 6,
        // Version 6 turned Cast's "to" from a string into an int.
        ["Cast"] = 6,
        // Version 5 moved Reshape's shape from an attribute to an input.
        ["Reshape"] = 5,
        // Version 4 made Concat's axis required (it defaulted to 1 before).
        ["Concat"] = 4,
        // Version 8 gave Sum/Max/Min/Mean numpy broadcasting.
        ["Sum"] = 8, ["Max"] = 8, ["Min"] = 8, ["Mean"] = 8, ["Expand"] = 8,
        // Pooling: later versions added ceil_mode/dilations/count_include_pad whose defaults keep the old behaviour.
        ["MaxPool"] = 1, ["AveragePool"] = 1, ["GlobalAveragePool"] = 1, ["GlobalMaxPool"] = 1, ["LRN"] = 1,
        // ReduceMean/Max/Min/Prod keep axes as an attribute until 18 (ReduceSum moved it at 13: see NodeUpgrades).
        ["ReduceMean"] = 1, ["ReduceMax"] = 1, ["ReduceMin"] = 1, ["ReduceProd"] = 1,
        ["Conv"] = 1, ["ConvTranspose"] = 1, ["MatMul"] = 1, ["Flatten"] = 1, ["Transpose"] = 1, ["Shape"] = 1,
        ["Gather"] = 1, ["Constant"] = 1, ["Identity"] = 1, ["Erf"] = 9, ["Where"] = 9, ["ConstantOfShape"] = 9,
        ["BatchNormalization"] = 9,
        // Resize-11 reworked coordinate modes (Upsample and Resize-10 are refused); 13 only made roi/scales optional.
        ["Resize"] = 11,
        // Converted below these versions by NodeUpgrades; unchanged from them on.
        ["Clip"] = 11, ["Slice"] = 10, ["Pad"] = 11,
    };
}
