using System.Diagnostics;
using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Evaluation;

/// <summary>
/// Median time per input. Several models are measured interleaved (each input runs on every model in turn), so
/// a slow phase of the machine (another build, thermal limits) hits them all alike and their ratios stay fair.
/// </summary>
public static class LatencyMeter
{
    /// <returns>The median latency per input of each runner, in the order given.</returns>
    public static IReadOnlyList<TimeSpan> MedianPerInput(IReadOnlyList<ModelRunner> runners, IReadOnlyList<ImageTensor> inputs, int warmupRounds, int rounds)
    {
        if (inputs.Count == 0 || rounds <= 0)
            throw new ArgumentException($"latency needs inputs and rounds, found {inputs.Count} inputs and {rounds} rounds");
        for (var round = 0; round < warmupRounds; round++)
        {
            foreach (var input in inputs)
            {
                foreach (var runner in runners) runner.Run(input);
            }
        }

        var timings = runners.Select(_ => new List<double>(rounds * inputs.Count)).ToList();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var input in inputs)
            {
                for (var r = 0; r < runners.Count; r++)
                {
                    var start = Stopwatch.GetTimestamp();
                    runners[r].Run(input);
                    timings[r].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }
        return timings.Select(list => TimeSpan.FromMilliseconds(Median(list))).ToList();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
