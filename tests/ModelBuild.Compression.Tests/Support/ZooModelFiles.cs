using ModelBuild.Compression.Data;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>Every model in ../shared/zoo, with the input shapes its dynamic dimensions take in the tests.</summary>
public static class ZooModelFiles
{
    public static TheoryData<string, string> All() => new()
    {
        { "mnist", "mnist-8.onnx" },
        { "fashion-mnist", "fashion-mnist-cnn.onnx" },
        { "cifar10", "resnet20.onnx" },
        { "imagenet", "mobilenetv2-12-int8.onnx" },
        { "ocr", "ch_PP-OCRv4_det_infer.onnx" },
        { "ocr", "ch_PP-OCRv4_rec_infer.onnx" },
        { "ocr", "ch_ppocr_mobile_v2.0_cls_infer.onnx" },
    };

    /// <summary>
    /// Inputs for a zoo model: a real image for the OCR models (on noise the detector answers ~1e-8 everywhere, which
    /// says nothing about closeness), seeded noise for the classifiers, whose logits respond to any input.
    /// </summary>
    public static Dictionary<string, InputTensor> Inputs(ModelProto model, string file)
    {
        var ocr = Zoo.PathOf("ocr");
        var image = file switch
        {
            "ch_PP-OCRv4_det_infer.onnx" => Load(Path.Combine(ocr, "det-images", "img_1.jpg"), 640, 384, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]),
            "ch_PP-OCRv4_rec_infer.onnx" => Load(Path.Combine(ocr, "rec-words", "1036169.jpg"), 160, 48, [0.5f], [0.5f]),
            "ch_ppocr_mobile_v2.0_cls_infer.onnx" => Load(Path.Combine(ocr, "rec-words", "1036169.jpg"), 192, 48, [0.5f], [0.5f]),
            _ => null,
        };
        return image is null
            ? RandomInputs.For(model)
            : new Dictionary<string, InputTensor> { ["x"] = new InputTensor(image.Values, image.Shape) };
    }

    private static ImageTensor Load(string path, int width, int height, float[] mean, float[] std) =>
        new Preprocessing { Color = ImageColor.Bgr, ResizeWidth = width, ResizeHeight = height, Mean = mean, Std = std }.Load(path);
}
