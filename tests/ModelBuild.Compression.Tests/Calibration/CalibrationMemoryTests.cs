using System.Diagnostics;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Compression.Tests.StaticQuantization;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Calibration;

/// <summary>
/// Calibration streams: on the Fashion-MNIST CNN, 10,000 inputs must not take more than 1.2x the peak memory
/// (process working set, sampled every 5 ms) of 1,000. The time ratio (about 10x: linear) is printed, not asserted:
/// timings on a shared 2-core machine are a benchmark's business, not something a test may fail on.
/// </summary>
[Collection(SerialZooMeasurements.Name)]
public sealed class CalibrationMemoryTests(ITestOutputHelper output)
{
    [ZooFact]
    public void Ten_times_the_inputs_stays_within_1_2x_the_peak_memory()
    {
        var model = StaticInt8Quantizer.Prepare(OnnxModelFile.Load(ZooModels.FashionMnist.ModelPath));
        var images = ZooModels.FashionMnist.LabeledSet.Select(l => l.Input).ToList();

        var (smallPeak, smallTime) = Measure(model, images, 1_000);
        var (largePeak, largeTime) = Measure(model, images, 10_000);

        var memoryRatio = (double)largePeak / smallPeak;
        var timeRatio = largeTime.TotalSeconds / smallTime.TotalSeconds;
        output.WriteLine($"calibration peak working set: 1,000 inputs {smallPeak / 1e6:F1} MB in {smallTime.TotalSeconds:F2} s; 10,000 inputs {largePeak / 1e6:F1} MB in {largeTime.TotalSeconds:F2} s; memory {memoryRatio:F2}x, time {timeRatio:F2}x");
        Assert.True(memoryRatio <= 1.2, $"10,000 inputs peaked at {largePeak} bytes, 1,000 at {smallPeak}: {memoryRatio:F2}x");
    }

    private static (long PeakBytes, TimeSpan Time) Measure(Onnx.Protobuf.ModelProto model, IReadOnlyList<ImageTensor> images, int count)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var peak = 0L;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5);
            }
        });
        var stopwatch = Stopwatch.StartNew();
        // Cycled over the 10,000 test images, created lazily: the stream itself holds nothing.
        var calibration = ActivationCalibrator.Observe(model, CalibrationSamples.From(Enumerable.Range(0, count).Select(i => images[i % images.Count]), "input"));
        var time = stopwatch.Elapsed;
        stop.Cancel();
        sampler.Wait();
        Assert.Equal(count, calibration.SampleCount);
        return (peak, time);
    }
}
