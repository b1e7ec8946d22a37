using ModelBuild.Compression.Sparsity;
using ModelBuild.Onnx;

namespace ModelBuild.Compression.Inspection;

/// <summary>What <c>modelbuild inspect</c> reports about a model.</summary>
public sealed record ModelInspection(
    long IrVersion,
    IReadOnlyList<OpsetImport> Opsets,
    IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs,
    IReadOnlyList<OperatorWeights> WeightsByOperator,
    IReadOnlyList<string> QuantizedOperators)
{
    /// <summary>For a ModelBuild container: its bytes as stored and the ONNX bytes it decodes to; null for a plain ONNX file.</summary>
    public ContainerSizes? Container { get; init; }

    public int WeightTensors => WeightsByOperator.Sum(w => w.Tensors);

    public long WeightElements => WeightsByOperator.Sum(w => w.Elements);

    public long WeightBytes => WeightsByOperator.Sum(w => w.Bytes);

    public bool IsQuantized => QuantizedOperators.Count > 0;

    /// <summary>
    /// int8 weight tensors of integer kernels with values outside [-64, 64]: exact only on CPUs with VNNI, AMX or on
    /// ARM64 (scheme <c>u8s8</c>); any recipe but <c>none</c> re-expresses them as uint8 for target <c>portable</c>.
    /// </summary>
    public int SaturatingWeightTensors { get; init; }

    /// <summary>Exact zeros per layer weight and overall, and whether the model looks pruned.</summary>
    public ModelSparsity Sparsity { get; init; } = new([]);

    /// <summary>The instruction set of the machine that inspected the model.</summary>
    public string MachineInstructionSet { get; init; } = "";
}
