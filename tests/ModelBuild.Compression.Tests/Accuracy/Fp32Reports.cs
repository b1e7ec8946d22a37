using System.Collections.Concurrent;
using ModelBuild.Compression.Evaluation;

namespace ModelBuild.Compression.Tests.Accuracy;

/// <summary>Each zoo classifier's uncompressed evaluation, run once per test process and shared by the test classes.</summary>
public static class Fp32Reports
{
    private static readonly ConcurrentDictionary<string, Lazy<ClassificationReport>> Reports = new();

    public static ClassificationReport Of(ZooClassifier model) =>
        Reports.GetOrAdd(model.Name, _ => new Lazy<ClassificationReport>(() => Evaluate(File.ReadAllBytes(model.ModelPath), model))).Value;

    public static ClassificationReport Evaluate(byte[] modelBytes, ZooClassifier model)
    {
        using var runner = ModelRunner.Open(modelBytes);
        return ClassificationEvaluator.Evaluate(runner, model.LabeledSet);
    }
}
