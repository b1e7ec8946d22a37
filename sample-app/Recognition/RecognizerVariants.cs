using Microsoft.ML.OnnxRuntime;
using SampleApp.Models;

namespace SampleApp.Recognition;

/// <summary>
/// The three classes ModelBuild generated from the OnnxModel items in SampleApp.csproj, loaded side by side:
/// the recognizer stored as is (fp32), compressed with int8-dynamic (int8-dyn), and with calibrated static int8,
/// entropy coded, under size and accuracy budgets (int8-cal).
/// </summary>
public sealed class RecognizerVariants : IDisposable
{
    private readonly List<IDisposable> _sessions = [];

    public RecognizerVariants(SessionOptions options)
    {
        var decoder = CtcDecoder.FromDictionary(new StringReader(Resources.ReadAllText("ppocr_keys_v1.txt")));
        try
        {
            var fp32 = Own(new RecognizerFp32(options));
            var int8 = Own(new RecognizerInt8(options));
            var int8Calibrated = Own(new RecognizerInt8Calibrated(options));

            // Run's dimension parameters are the model's dynamic dimensions: batch (1 word) and image width.
            All =
            [
                new("fp32", RecognizerFp32.Info, (pixels, width) => fp32.Run(pixels, 1, width).Softmax_11_tmp_0.Data, decoder),
                new("int8-dyn", RecognizerInt8.Info, (pixels, width) => int8.Run(pixels, 1, width).Softmax_11_tmp_0.Data, decoder),
                new("int8-cal", RecognizerInt8Calibrated.Info, (pixels, width) => int8Calibrated.Run(pixels, 1, width).Softmax_11_tmp_0.Data, decoder),
            ];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<WordRecognizer> All { get; }

    public WordRecognizer Fp32 => All[0];

    public WordRecognizer Int8 => All[1];

    public WordRecognizer Int8Calibrated => All[2];

    public void Dispose()
    {
        foreach (var session in _sessions)
            session.Dispose();
        _sessions.Clear();
    }

    private T Own<T>(T session) where T : IDisposable
    {
        _sessions.Add(session);
        return session;
    }
}
