namespace ModelBuild.Contracts.Description;

/// <summary>
/// The <c>.modeldesc</c> format (docs/internals.md, "Model description"): the compressor writes it
/// (ModelDescriptionWriter) and the generator reads it (ModelDescriptionParser), so its header, version and record
/// names live here once. UTF-8 without BOM, one record per line, fields separated by TAB, lines ended by <c>\n</c>.
/// </summary>
public static class ModelDescriptionFormat
{
    /// <summary>The first record's name; its one field is <see cref="Version"/>.</summary>
    public const string Header = "modelbuild-description";

    /// <summary>The format version this writer writes and this generator reads; another version is MB3001.</summary>
    public const string Version = "1";

    public const char FieldSeparator = '\t';

    public const char LineEnd = '\n';

    /// <summary>The dimensions field of a tensor whose rank is unknown (a scalar's is empty).</summary>
    public const string UnknownRank = "*";

    /// <summary><c>recipe &lt;name&gt;</c>: the recipe that ran.</summary>
    public const string Recipe = "recipe";

    /// <summary><c>original-bytes &lt;count&gt;</c>: the model file's size before compression.</summary>
    public const string OriginalBytes = "original-bytes";

    /// <summary><c>stored-bytes &lt;count&gt;</c>: the compressed model's size as embedded.</summary>
    public const string StoredBytes = "stored-bytes";

    /// <summary><c>decoded-bytes &lt;count&gt;</c>: a container's decoded ONNX size; absent for plain ONNX.</summary>
    public const string DecodedBytes = "decoded-bytes";

    /// <summary><c>target-cpu &lt;name&gt;</c> (<see cref="TargetCpuNames"/>); only for a model that runs integer kernels.</summary>
    public const string TargetCpu = "target-cpu";

    /// <summary><c>int8-scheme &lt;name&gt;</c> (<see cref="Int8SchemeNames"/>); only with <see cref="TargetCpu"/>.</summary>
    public const string Int8Scheme = "int8-scheme";

    /// <summary>
    /// <c>quantization-aware-training &lt;what was folded&gt;</c>: the model is a quantization-aware trained export that
    /// compression folded into int8; one free-text field. Only for such a model.
    /// </summary>
    public const string QuantizationAwareTraining = "quantization-aware-training";

    /// <summary><c>opset &lt;version&gt;</c>: the compressed model's default-domain opset.</summary>
    public const string Opset = "opset";

    /// <summary><c>input &lt;name&gt; &lt;element type&gt; &lt;dimensions&gt;</c>, one per graph input; also a quantization record's kind.</summary>
    public const string Input = "input";

    /// <summary><c>output &lt;name&gt; &lt;element type&gt; &lt;dimensions&gt;</c>, one per graph output; also a quantization record's kind.</summary>
    public const string Output = "output";

    /// <summary><c>quantization &lt;input|output&gt; &lt;name&gt; &lt;scale&gt; &lt;zero point&gt;</c>: a uint8 boundary's grid.</summary>
    public const string Quantization = "quantization";
}
