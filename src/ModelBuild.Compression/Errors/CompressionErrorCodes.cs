namespace ModelBuild.Compression;

/// <summary>The codes of docs/internals.md raised by data loading, budgets and selection.</summary>
public static class CompressionErrorCodes
{
    /// <summary>A calibration or evaluation path or pattern that matches no file.</summary>
    public const string DataNotFound = "MB1012";

    /// <summary>Data that does not fit the model's input (image size, channels, array shape).</summary>
    public const string DataDoesNotFitModel = "MB1013";

    /// <summary>A label outside the model's classes.</summary>
    public const string LabelOutOfRange = "MB1014";

    /// <summary>A malformed option string (preprocessing, budget, objective weights, calibration method).</summary>
    public const string MalformedOption = "MB1015";

    /// <summary>A budget the chosen model misses; the best candidate and the report are still written.</summary>
    public const string BudgetMissed = "MB1016";

    /// <summary>A recipe or budget that needs data the command line did not give.</summary>
    public const string DataRequired = "MB1017";

    /// <summary>None of the recipes tried could compress the model (each one's reason is given).</summary>
    public const string NoCandidate = "MB1019";

    /// <summary>A CTC recognizer's charset whose size does not fit the model's classes.</summary>
    public const string CharsetMismatch = "MB1021";

    /// <summary>ONNX Runtime cannot create a session from the model or an output (an operator it does not implement).</summary>
    public const string RuntimeCannotRun = "MB1023";

    /// <summary>Warning: a candidate of the search could not be compressed and was left out.</summary>
    public const string CandidateSkipped = "MB2003";
}
