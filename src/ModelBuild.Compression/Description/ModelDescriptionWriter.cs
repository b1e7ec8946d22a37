using System.Globalization;
using System.Text;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Description;
using ModelBuild.Onnx;

namespace ModelBuild.Compression.Description;

/// <summary>
/// Writes the <c>.modeldesc</c> format of docs/internals.md (<see cref="ModelDescriptionFormat"/>): UTF-8 (no BOM), one
/// TAB-separated record per line, <c>\n</c> line ends so the file is byte-identical on every OS (the generator's input
/// must not depend on it).
/// </summary>
public static class ModelDescriptionWriter
{
    public static Encoding Encoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static string Format(ModelDescription description)
    {
        var model = description.CompressedModel;
        var text = new StringBuilder();
        Record(text, ModelDescriptionFormat.Header, ModelDescriptionFormat.Version);
        Record(text, ModelDescriptionFormat.Recipe, description.Recipe);
        Record(text, ModelDescriptionFormat.OriginalBytes, description.OriginalBytes.ToString(CultureInfo.InvariantCulture));
        Record(text, ModelDescriptionFormat.StoredBytes, description.StoredBytes.ToString(CultureInfo.InvariantCulture));
        if (description.DecodedBytes is { } decoded)
            Record(text, ModelDescriptionFormat.DecodedBytes, decoded.ToString(CultureInfo.InvariantCulture));
        if (description.IntegerKernels is var (target, scheme))
        {
            Record(text, ModelDescriptionFormat.TargetCpu, TargetCpus.Name(target));
            Record(text, ModelDescriptionFormat.Int8Scheme, TargetCpus.SchemeName(scheme));
        }
        if (description.QuantizationAwareTraining is { } folded)
            Record(text, ModelDescriptionFormat.QuantizationAwareTraining, folded);
        Record(text, ModelDescriptionFormat.Opset, OnnxGraph.OpsetVersion(model).ToString(CultureInfo.InvariantCulture));
        foreach (var input in ModelSignature.Inputs(model))
            Record(text, ModelDescriptionFormat.Input, input.Name, input.ElementType, DimsField(input));
        foreach (var output in ModelSignature.Outputs(model))
            Record(text, ModelDescriptionFormat.Output, output.Name, output.ElementType, DimsField(output));
        foreach (var boundary in BoundaryQuantizationReader.Read(model))
        {
            // "R" round-trips the float32 scale exactly, so the app quantizes on the very grid the model dequantizes with.
            Record(text, ModelDescriptionFormat.Quantization, boundary.Kind, boundary.Name, boundary.Scale.ToString("R", CultureInfo.InvariantCulture),
                boundary.ZeroPoint.ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Rank unknown is <c>*</c>; a scalar (rank 0) is the empty field.</summary>
    private static string DimsField(TensorSignature signature) =>
        signature.Dims is null ? ModelDescriptionFormat.UnknownRank : string.Join(",", signature.Dims);

    private static void Record(StringBuilder text, string kind, params string[] fields)
    {
        text.Append(kind);
        foreach (var field in fields)
            text.Append(ModelDescriptionFormat.FieldSeparator).Append(Clean(field));
        text.Append(ModelDescriptionFormat.LineEnd);
    }

    // A TAB or line break inside a name would split the record; ONNX names never legitimately contain them.
    private static string Clean(string field) => field.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
