using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Tests.Accuracy.Data;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Tests.Datasets;

/// <summary>
/// A temporary folder of random grey PNG images for a classifier built in code, written into one sub-folder per
/// class, each image in the folder of the class the float model predicts for it: a labeled set on which the
/// original scores 100% top-1, so any candidate's loss shows. Deleted on dispose.
/// </summary>
public sealed class LabeledTestImages : IDisposable
{
    public LabeledTestImages(ModelProto model, int count, int seed, int classCount, int size = 8)
    {
        Root = Directory.CreateTempSubdirectory("modelbuild-data-").FullName;
        ModelPath = Path.Combine(Root, "model.onnx");
        File.WriteAllBytes(ModelPath, OnnxModelFile.ToBytes(model));
        Labeled = Path.Combine(Root, "labeled");
        Unlabeled = Path.Combine(Root, "unlabeled");
        Directory.CreateDirectory(Unlabeled);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var pixels = new byte[size * size * 3];
            for (var p = 0; p < size * size; p++)
                pixels[(p * 3) + 0] = pixels[(p * 3) + 1] = pixels[(p * 3) + 2] = (byte)random.Next(256);
            TestPngWriter.WriteRgb(Path.Combine(Unlabeled, $"image{i:D4}.png"), size, size, pixels);
        }

        for (var c = 0; c < classCount; c++)
            Directory.CreateDirectory(Path.Combine(Labeled, $"class{c}"));
        var layout = ModelInputLayout.Of(model);
        var data = DatasetLoader.Load(Unlabeled, layout, PreprocessingSpec.Parse(null, layout, ModelPath));
        using var runner = ModelRunner.Open(OnnxModelFile.ToBytes(model));
        for (var i = 0; i < data.Count; i++)
        {
            var predicted = ClassificationEvaluator.ArgMax(runner.Run(data.Inputs[i]).Values);
            File.Copy(data.Sources[i], Path.Combine(Labeled, $"class{predicted}", Path.GetFileName(data.Sources[i])));
        }
    }

    public string Root { get; }

    public string ModelPath { get; }

    /// <summary>One sub-folder per class, <c>class0</c>..; the float model's prediction is each image's label.</summary>
    public string Labeled { get; }

    /// <summary>The same images without labels.</summary>
    public string Unlabeled { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
