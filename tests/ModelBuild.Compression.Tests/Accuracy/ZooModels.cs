using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy;

/// <summary>The zoo's models with the preprocessing of /work/shared/zoo/README.md (shared with the benchmarks).</summary>
public static class ZooModels
{
    public static ZooClassifier Mnist { get; } = new("mnist", Zoo.PathOf("mnist", "mnist-8.onnx"),
        () => LabeledDatasets.FromIdx(Zoo.PathOf("mnist", "t10k-images-idx3-ubyte.gz"), Zoo.PathOf("mnist", "t10k-labels-idx1-ubyte.gz"),
            new Preprocessing { Color = ImageColor.Grey }));

    public static ZooClassifier FashionMnist { get; } = new("fashion-mnist", Zoo.PathOf("fashion-mnist", "fashion-mnist-cnn.onnx"),
        () => LabeledDatasets.FromIdx(Zoo.PathOf("fashion-mnist", "t10k-images-idx3-ubyte.gz"), Zoo.PathOf("fashion-mnist", "t10k-labels-idx1-ubyte.gz"),
            new Preprocessing { Color = ImageColor.Grey, Mean = [0.5f], Std = [0.5f] }));

    public static ZooClassifier Cifar10ResNet20 { get; } = new("cifar10-resnet20", Zoo.PathOf("cifar10", "resnet20.onnx"),
        () => LabeledDatasets.FromImages(LabeledImageFolder.FromSubfolders(Zoo.PathOf("cifar10", "test-2000")),
            new Preprocessing { Mean = [0.4914f, 0.4822f, 0.4465f], Std = [0.2470f, 0.2435f, 0.2616f] }));

    public static ZooClassifier ImageNetMobileNetV2Int8 { get; } = new("imagenet-mobilenetv2-int8", Zoo.PathOf("imagenet", "mobilenetv2-12-int8.onnx"),
        () => LabeledDatasets.FromImages(LabeledImageFolder.FromCsv(Zoo.PathOf("imagenet", "val-500", "labels.csv")),
            new Preprocessing { CenterCrop = (224, 224), Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] }));

    // fashion-mnist-family/README.md: the same test set, preprocessed with the training set's mean and deviation.
    public static ZooClassifier FamilyBnCnn { get; } = Family("fmnist-bn-cnn");

    public static ZooClassifier FamilyBnCnnPruned { get; } = Family("fmnist-bn-cnn-pruned85");

    public static ZooClassifier FamilyQat { get; } = Family("fmnist-bn-cnn-qat");

    public static ZooClassifier FamilyQatFakeQuant { get; } = Family("fmnist-bn-cnn-qat-fakequant");

    public static ZooClassifier FamilyStudent { get; } = Family("fmnist-student");

    public static ZooClassifier FamilyStudentKd { get; } = Family("fmnist-student-kd");

    private static ZooClassifier Family(string name) => new(name, Zoo.PathOf("fashion-mnist-family", name + ".onnx"),
        () => LabeledDatasets.FromIdx(Zoo.PathOf("fashion-mnist", "t10k-images-idx3-ubyte.gz"), Zoo.PathOf("fashion-mnist", "t10k-labels-idx1-ubyte.gz"),
            new Preprocessing { Color = ImageColor.Grey, Mean = [0.2860f], Std = [0.3530f] }));

    public static string OcrRecognizerPath => Zoo.PathOf("ocr", "ch_PP-OCRv4_rec_infer.onnx");

    public static CtcGreedyDecoder OcrDecoder() => CtcGreedyDecoder.FromPaddleOcrKeys(Zoo.PathOf("ocr", "ppocr_keys_v1.txt"));

    public static IReadOnlyList<TextSample> OcrWords() => LabeledDatasets.FromTextLabels(Zoo.PathOf("ocr", "rec-words", "labels.json"),
        new Preprocessing { Color = ImageColor.Bgr, ResizeHeight = 48, Mean = [0.5f], Std = [0.5f] });
}
