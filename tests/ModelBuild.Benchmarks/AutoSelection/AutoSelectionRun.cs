using ModelBuild.Compression.Selection;

namespace ModelBuild.Benchmarks.AutoSelection;

/// <summary>What the <c>auto</c> run produced: the selection, the data it used, and the report files it wrote.</summary>
public sealed record AutoSelectionRun(SelectionResult Result, int CalibrationInputs, int EvaluationInputs, string MarkdownReportPath, string HtmlReportPath, TimeSpan Duration);
