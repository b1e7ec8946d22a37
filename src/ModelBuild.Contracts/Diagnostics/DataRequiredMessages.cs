namespace ModelBuild.Contracts.Diagnostics;

/// <summary>
/// The messages of MB1017 (<see cref="DiagnosticCodes.DataRequired"/>): the task, the CLI and the compressor check
/// the same needs at different times, and a user must read the same sentence whichever one caught it. Each names the
/// item metadata and the command-line option, since either may be what the user wrote.
/// </summary>
public static class DataRequiredMessages
{
    /// <summary>A recipe that calibrates activation ranges (<c>int8</c>, <c>int8-full</c>) without calibration data.</summary>
    public static string CalibrationData(string recipe) => Missing(
        $"recipe '{recipe}' calibrates activation ranges on data",
        "calibration inputs (CalibrationData on the item, --calibration-data on the command line: a folder, pattern, IDX or .npy file of representative inputs)");

    /// <summary>
    /// Something that measures the model without evaluation data; <paramref name="measurer"/> says what measures it
    /// (by default <c>auto</c>, the budgets and the report).
    /// </summary>
    public static string EvaluationData(string measurer = "'auto', the budgets (MaxAccuracyDrop, MaxSize, MaxLatencyRatio), the reference model (ReferenceModel) and the report measure the model") => Missing(
        measurer,
        "evaluation data (EvaluationData on the item, --evaluation-data on the command line: labeled or unlabeled inputs)");

    /// <summary>Text labels, which a CTC recognizer's output is compared with, without the charset that reads it.</summary>
    /// <param name="classCount">The model's class count when known, so the message says what size the charset must fit.</param>
    public static string Charset(int? classCount = null) => Missing(
        "the evaluation data has text labels, and comparing them with what the model reads needs its charset",
        $"--charset (Charset on the item) with a dictionary file, one character per line{(classCount is { } count ? $", for the model's {count} classes" : "")}");

    private static string Missing(string need, string expected) => $"{need}: expected {expected}, found none";
}
