using System.Collections.Generic;

namespace ModelBuild.Contracts.Options;

/// <summary>
/// The one table of <c>OnnxModel</c> settings that reach <c>modelbuild compress</c> (docs/internals.md, "OnnxModel
/// item metadata"). The task's checks, its command line and the settings stamp (hence the incremental build and the cache
/// key) are all made from this table, and the CLI declares its options from it: a new option is one field here plus the
/// code in the CLI that uses its value. The recipe (<c>Compression</c>, <c>--recipe</c>) and the output paths are not
/// rows: they are not optional settings.
/// </summary>
public static class ItemOptions
{
    // Declared first: each row below adds itself here as it is initialized (fields initialize in textual order).
    private static readonly List<ItemOption> Rows = new();

    /// <summary>The CLI's <c>--target-cpu</c> names.</summary>
    public static readonly IReadOnlyList<string> TargetCpus = Description.TargetCpuNames.All;

    /// <summary>The CLI's <c>--calibration-method</c> names.</summary>
    public static readonly IReadOnlyList<string> CalibrationMethods = new[] { "minmax", "percentile", "entropy" };

    public static readonly ItemOption CalibrationData = Row("CalibrationData", "--calibration-data", ItemOptionKind.DataSpec,
        "Representative inputs for int8 calibration, in the same forms as --evaluation-data.");

    public static readonly ItemOption CalibrationCount = Row("CalibrationCount", "--calibration-count", ItemOptionKind.Count,
        "Use only the first N calibration inputs.");

    public static readonly ItemOption CalibrationMethod = Row("CalibrationMethod", "--calibration-method", ItemOptionKind.Choice,
        "int8 calibration: minmax (default), percentile or entropy.", "minmax", CalibrationMethods);

    public static readonly ItemOption ExcludeNodes = Row("ExcludeNodes", "--exclude-nodes", ItemOptionKind.NameList,
        "Node names kept in float by int8, ';'-separated.");

    public static readonly ItemOption ExcludeOps = Row("ExcludeOps", "--exclude-ops", ItemOptionKind.NameList,
        "Operator types kept in float by int8, ';'-separated (e.g. Gemm).");

    public static readonly ItemOption EvaluationData = Row("EvaluationData", "--evaluation-data", ItemOptionKind.DataSpec,
        "Labeled (or unlabeled) data to measure accuracy and latency on: folder, pattern, CSV, IDX files or .npy, ';'-separated.");

    public static readonly ItemOption EvaluationCount = Row("EvaluationCount", "--evaluation-count", ItemOptionKind.Count,
        "Use only the first N evaluation inputs.");

    public static readonly ItemOption Charset = Row("Charset", "--charset", ItemOptionKind.DataSpec,
        "A CTC text recognizer's dictionary, one character per line (blank first, a space last are implied), to score it against text labels.");

    public static readonly ItemOption ReferenceModel = Row("ReferenceModel", "--reference-model", ItemOptionKind.DataSpec,
        "A reference model (a distilled student's teacher) with the same input and output, measured beside the model on the evaluation data for the report.",
        measuresModel: true);

    public static readonly ItemOption Preprocessing = Row("Preprocessing", "--preprocessing", ItemOptionKind.FreeText,
        "resize=WxH;crop=WxH;channels=rgb|bgr|grey;layout=nchw|nhwc;scale=1/255;mean=..;std=.. (defaults from the model's input).");

    public static readonly ItemOption LatencyRounds = Row("LatencyRounds", "--latency-rounds", ItemOptionKind.Count,
        "Timed rounds over the latency inputs (median taken).", "5");

    public static readonly ItemOption MaxAccuracyDrop = Row("MaxAccuracyDrop", "--max-accuracy-drop", ItemOptionKind.FreeText,
        "\"1%\" (relative to the original) or \"0.5\" / \"0.5pt\" (points).", measuresModel: true);

    public static readonly ItemOption MaxSize = Row("MaxSize", "--max-size", ItemOptionKind.FreeText,
        "Stored size limit: bytes, or KB / MB / GB (powers of 1024).", measuresModel: true);

    public static readonly ItemOption MaxLatencyRatio = Row("MaxLatencyRatio", "--max-latency-ratio", ItemOptionKind.FreeText,
        "Latency per input over the original's, e.g. 0.8.", measuresModel: true);

    public static readonly ItemOption ObjectiveWeights = Row("ObjectiveWeights", "--objective-weights", ItemOptionKind.FreeText,
        "Weights of L's terms: size=1,latency=1,accuracy=1.");

    public static readonly ItemOption TargetCpu = Row("TargetCpu", "--target-cpu", ItemOptionKind.Choice,
        $"The CPUs the model is for: {string.Join(", ", TargetCpus)} (default portable: the same integer results on every CPU).",
        "portable", TargetCpus);

    /// <summary>Every row, in the order declared here: the order of the command line and the settings stamp.</summary>
    public static IReadOnlyList<ItemOption> All => Rows;

    private static ItemOption Row(string metadataName, string @switch, ItemOptionKind kind, string description,
        string defaultValue = "", IReadOnlyList<string>? validNames = null, bool measuresModel = false)
    {
        var row = new ItemOption(metadataName, @switch, kind, description, defaultValue, validNames, measuresModel);
        Rows.Add(row);
        return row;
    }
}
