using Microsoft.ML.OnnxRuntime;
using SampleApp.Recognition;

namespace SampleApp.Tests;

/// <summary>The app's two generated recognizers, loaded once per test class.</summary>
public sealed class LoadedRecognizers : IDisposable
{
    private readonly SessionOptions _options = new() { IntraOpNumThreads = 1 };

    public LoadedRecognizers() => Variants = new RecognizerVariants(_options);

    public RecognizerVariants Variants { get; }

    public void Dispose()
    {
        Variants.Dispose();
        _options.Dispose();
    }
}
