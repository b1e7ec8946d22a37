using System.Globalization;
using ModelBuild.Compression.Inspection;
using ModelBuild.Compression.Sparsity;
using ModelBuild.Onnx;

namespace ModelBuild.Cli.Reporting;

/// <summary>The human-readable form of <c>modelbuild inspect</c>.</summary>
public static class InspectionText
{
    public static void Write(TextWriter output, string modelPath, ModelInspection inspection)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine($"model: {modelPath}");
        if (inspection.Container is { } container)
        {
            output.WriteLine(string.Create(culture,
                $"stored: ModelBuild container (format {container.FormatVersion}), {container.StoredBytes:N0} bytes stored, {container.DecodedBytes:N0} bytes of ONNX in memory ({100.0 * container.StoredBytes / Math.Max(1, container.DecodedBytes):F1}%)"));
        }
        output.WriteLine(string.Create(culture, $"ir-version: {inspection.IrVersion}"));
        output.WriteLine($"opsets: {string.Join(", ", inspection.Opsets.Select(o => $"{o.Domain} {o.Version}"))}");
        foreach (var input in inspection.Inputs) output.WriteLine($"input: {Describe(input)}");
        foreach (var result in inspection.Outputs) output.WriteLine($"output: {Describe(result)}");
        output.WriteLine(string.Create(culture, $"weights: {inspection.WeightElements:N0} values in {inspection.WeightTensors:N0} tensors, {inspection.WeightBytes:N0} bytes"));
        foreach (var row in inspection.WeightsByOperator)
            output.WriteLine(string.Create(culture, $"  {row.OperatorType,-24} {row.Tensors,6:N0} tensors {row.Elements,14:N0} values {row.Bytes,14:N0} bytes"));
        WriteSparsity(output, inspection.Sparsity);
        output.WriteLine(inspection.IsQuantized
            ? $"already quantized: yes ({string.Join(", ", inspection.QuantizedOperators)})"
            : "already quantized: no");
        if (inspection.SaturatingWeightTensors > 0)
            output.WriteLine(string.Create(culture, $"int8 scheme: u8s8 ({inspection.SaturatingWeightTensors} full-range int8 weight tensors: exact only with VNNI, AMX or on ARM64; compress with target portable re-expresses them as uint8)"));
        output.WriteLine($"this machine: {inspection.MachineInstructionSet}");
    }

    private static void WriteSparsity(TextWriter output, ModelSparsity sparsity)
    {
        var culture = CultureInfo.InvariantCulture;
        if (sparsity.Layers.Count == 0)
        {
            output.WriteLine("sparsity: no Conv, Gemm or MatMul weight");
            return;
        }
        var verdict = sparsity.LooksPruned
            ? string.Create(culture, $"looks pruned (at least {ModelSparsity.PrunedThreshold:P0} exact zeros)")
            : string.Create(culture, $"dense (pruned means at least {ModelSparsity.PrunedThreshold:P0} exact zeros)");
        output.WriteLine(string.Create(culture,
            $"sparsity: {sparsity.Zeros:N0} of {sparsity.Elements:N0} layer weights are exactly zero ({sparsity.Fraction:P2}) in {sparsity.Layers.Count} layers: {verdict}"));
        foreach (var layer in sparsity.Layers)
            output.WriteLine(string.Create(culture, $"  {layer.NodeName,-24} {layer.OperatorType,-14} {layer.Elements,12:N0} weights {layer.Zeros,12:N0} zeros {layer.Fraction,8:P2}"));
    }

    private static string Describe(TensorSignature signature) =>
        $"{signature.Name} {signature.ElementType} {(signature.Dims is null ? "*" : $"[{string.Join(",", signature.Dims)}]")}";
}
