using Microsoft.ML.OnnxRuntime;
using SampleApp.Models;

namespace SampleApp.Recognition;

/// <summary>
/// The two classes ModelBuild generated from the OnnxModel items in SampleApp.csproj, loaded side by side:
/// the recognizer stored as is (fp32) and compressed with int8-dynamic (int8).
/// </summary>
public sealed class RecognizerVariants : IDisposable
{
    private readonly RecognizerFp32 _fp32;
    private readonly RecognizerInt8 _int8;

    public RecognizerVariants(SessionOptions options)
    {
        var decoder = CtcDecoder.FromDictionary(new StringReader(Resources.ReadAllText("ppocr_keys_v1.txt")));
        _fp32 = new RecognizerFp32(options);
        try
        {
            _int8 = new RecognizerInt8(options);
        }
        catch
        {
            _fp32.Dispose();
            throw;
        }

        // Run's dimension parameters are the model's dynamic dimensions: batch (1 word) and image width.
        All =
        [
            new("fp32", RecognizerFp32.Info, (pixels, width) => _fp32.Run(pixels, 1, width).Softmax_11_tmp_0.Data, decoder),
            new("int8", RecognizerInt8.Info, (pixels, width) => _int8.Run(pixels, 1, width).Softmax_11_tmp_0.Data, decoder),
        ];
    }

    public IReadOnlyList<WordRecognizer> All { get; }

    public WordRecognizer Fp32 => All[0];

    public WordRecognizer Int8 => All[1];

    public void Dispose()
    {
        _fp32.Dispose();
        _int8.Dispose();
    }
}
