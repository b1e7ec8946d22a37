namespace ModelBuild.Contracts.Diagnostics;

/// <summary>
/// Every MBxxxx code ModelBuild reports, in one place for the task, the CLI, the libraries and the generator.
/// README's table and docs/internals.md list each one (BadInputCatalogueTests keeps them in step). MB10xx are errors,
/// MB19xx the task's own errors, MB20xx warnings, MB30xx the generator's errors, MB9xxx internal failures.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The model file (or an item's model) does not exist, or is a folder.</summary>
    public const string ModelNotFound = "MB1001";

    /// <summary>The model file is empty.</summary>
    public const string ModelFileEmpty = "MB1002";

    /// <summary>The model file is a Git LFS pointer, not the model.</summary>
    public const string GitLfsPointer = "MB1003";

    /// <summary>The file is not a valid ONNX model (truncated, not protobuf, no graph, inconsistent graph).</summary>
    public const string InvalidModel = "MB1004";

    /// <summary>An unknown recipe, or a composition of recipes that does not exist.</summary>
    public const string UnknownRecipe = "MB1005";

    /// <summary>Two models would generate the same class (the task and the generator apply one rule: <c>GeneratedClassNames</c>).</summary>
    public const string ClassClash = "MB1006";

    /// <summary>ClassName or Namespace is not a valid C# identifier, or ClassName names a member of the generated class.</summary>
    public const string InvalidIdentifier = "MB1007";

    /// <summary>A tensor's external data file is missing, too short, behind a symbolic link, or not a regular file.</summary>
    public const string ExternalDataMissing = "MB1008";

    /// <summary>An output file could not be written.</summary>
    public const string CannotWrite = "MB1009";

    /// <summary>A calibration or evaluation data file cannot be read (IDX, .npy, image, labels).</summary>
    public const string BadDataFile = "MB1010";

    /// <summary>The <c>modelbuild</c> command line is wrong (missing or unknown option or argument).</summary>
    public const string BadCommandLine = "MB1011";

    /// <summary>A calibration or evaluation path or pattern (or a charset file) matches no file.</summary>
    public const string DataNotFound = "MB1012";

    /// <summary>Data that does not fit the model's input (image size, channels, array shape, label kind, fixed batch).</summary>
    public const string DataDoesNotFitModel = "MB1013";

    /// <summary>A label outside the model's classes.</summary>
    public const string LabelOutOfRange = "MB1014";

    /// <summary>A malformed option string (preprocessing, budget, objective weights, calibration method, target CPU).</summary>
    public const string MalformedOption = "MB1015";

    /// <summary>The chosen model misses a budget; the best candidate and the report are still written.</summary>
    public const string BudgetMissed = "MB1016";

    /// <summary>A recipe, budget or option needs data that was not given (message: <see cref="DataRequiredMessages"/>).</summary>
    public const string DataRequired = "MB1017";

    /// <summary><c>modelbuild report</c> was given a file that is not a report.</summary>
    public const string NotAReport = "MB1018";

    /// <summary>None of the recipes tried could compress the model (each one's reason is given).</summary>
    public const string NoCandidate = "MB1019";

    /// <summary>The model cannot be raised to the opset static int8 needs (the blocking node is named).</summary>
    public const string OpsetUpgradeBlocked = "MB1020";

    /// <summary>A CTC text recognizer's charset whose size does not fit the model's classes.</summary>
    public const string CharsetMismatch = "MB1021";

    /// <summary>A ModelBuild container that cannot be decoded was given to <c>inspect</c> or <c>evaluate</c>.</summary>
    public const string DamagedContainer = "MB1022";

    /// <summary>ONNX Runtime cannot create a session from the model or an output (an operator it does not implement).</summary>
    public const string RuntimeCannotRun = "MB1023";

    /// <summary>The CLI: the reference model (<c>--reference-model</c>) is missing, unreadable, too large, or has another input or output than the model.</summary>
    public const string ReferenceModelUnusable = "MB1024";

    /// <summary>The task: the CLI failed without reporting an error line.</summary>
    public const string CliFailedSilently = "MB1901";

    /// <summary>The task: the CLI (<c>ModelBuildCliPath</c>) was not found.</summary>
    public const string CliNotFound = "MB1902";

    /// <summary>Warning: the model is already quantized and passes through without being quantized again.</summary>
    public const string AlreadyQuantized = "MB2001";

    /// <summary>Warning: the recipe found no weights to compress.</summary>
    public const string NothingToCompress = "MB2002";

    /// <summary>Warning: a candidate of the search could not be compressed or run and was left out.</summary>
    public const string CandidateSkipped = "MB2003";

    /// <summary>Warning: the target CPU is another kind than the build machine, so the figures are the build machine's.</summary>
    public const string TargetIsNotThisMachine = "MB2004";

    /// <summary>Warning: the compressed model runs slower than the original on the build machine.</summary>
    public const string SlowerThanOriginal = "MB2005";

    /// <summary>Warning: without MaxAccuracyDrop, the model lost more than a point of accuracy.</summary>
    public const string AccuracyLoss = "MB2006";

    /// <summary>Warning: <c>int8-full</c> on an already quantized model keeps float inputs and outputs.</summary>
    public const string BoundaryStaysFloat = "MB2007";

    /// <summary>Warning: a fake-quantized QAT export left Conv/Gemm inputs float and no calibration data was given; Q/DQ were added on a neighbouring grid.</summary>
    public const string QuantizationCompleted = "MB2008";

    /// <summary>The generator: a model description (or the item metadata beside it) cannot be read.</summary>
    public const string BadDescription = "MB3001";

    /// <summary>The generator: a tensor has an element type the generated class cannot expose.</summary>
    public const string UnsupportedElementType = "MB3003";

    /// <summary>The generator: the class name is the name of one of the generated class's members.</summary>
    public const string ClassNamedLikeItsMember = "MB3004";

    /// <summary>The CLI: an internal error (the message is shown; <c>--verbose</c> adds the stack trace).</summary>
    public const string InternalError = "MB9001";
}
