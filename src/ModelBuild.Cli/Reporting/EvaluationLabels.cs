using ModelBuild.Compression.Datasets;

namespace ModelBuild.Cli.Reporting;

/// <summary>What the evaluation data's labels are, in the words of the progress line that announces it.</summary>
public static class EvaluationLabels
{
    public static string Describe(Dataset evaluation) =>
        evaluation.HasTexts ? "text labels (character accuracy)"
        : evaluation.HasLabels ? "labeled"
        : "no labels (agreement with the original)";
}
