using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Data;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Each Conv, Gemm and MatMul layer's measured time per input (batch 1, one thread), from ONNX Runtime's own profiler:
/// what <c>prune-channels:F:latency</c> shares the cut by. Multiply-accumulates misjudge a layer whose time is memory
/// traffic (a wide Gemm at batch 1 reads every weight once per input) or padding (blocked Conv kernels).
/// </summary>
internal static class LayerLatency
{
    /// <summary>The profile file is read only up to this size: a few runs of a model this step prunes write far less.</summary>
    public const long MaxProfileBytes = 64L << 20;

    /// <summary>Runs profiled per input (the session's very first run is left out as warm-up).</summary>
    public const int Rounds = 5;

    /// <summary>Inputs profiled at most.</summary>
    public const int Inputs = 8;

    /// <summary>
    /// Bytes written before each run, twice a large last-level cache: every run starts with cold caches, as a model
    /// run among an app's other work does (and as the benchmark's interleaved variants do). Measured warm, in a tight
    /// loop, a wide Gemm's weights stay in cache and its time looks like its multiply-accumulates; cold, it is the
    /// memory traffic that pruning its rows removes.
    /// </summary>
    public const int EvictionBytes = 64 << 20;

    /// <summary>
    /// The median time in microseconds of each layer of <paramref name="model"/> (by <see cref="LayerCost.NameOf"/>)
    /// over a few runs of <paramref name="inputs"/>. ONNX Runtime optimizes the graph first, so a layer's time is that
    /// of the kernel it became: a Conv fused with its activation keeps the Conv's name, ahead of the activation's; the
    /// profiled nodes ONNX Runtime added (layout reorders) are not any layer's. A layer missing from the profile has
    /// no entry; a profile that cannot be read gives none.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Measure(ModelProto model, IReadOnlyList<ImageTensor> inputs)
    {
        var layers = ProfiledNames(model.Graph);
        var folder = Directory.CreateTempSubdirectory("modelbuild-profile-");
        try
        {
            string file;
            using (var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
            {
                // The prefix first: setting EnableProfiling hands ONNX Runtime the prefix it has then.
                options.ProfileOutputPathPrefix = Path.Combine(folder.FullName, "profile");
                options.EnableProfiling = true;
                using var session = new InferenceSession(model.ToByteArray(), options);
                using var runOptions = new RunOptions();
                var inputName = OnnxGraph.RealInputs(model.Graph)[0].Name;
                var outputName = model.Graph.Output[0].Name;
                var eviction = new byte[EvictionBytes];
                foreach (var input in inputs.Take(Inputs))
                {
                    for (var round = 0; round < Rounds; round++)
                    {
                        for (var i = 0; i < eviction.Length; i += 64) eviction[i]++;
                        using var value = OrtValue.CreateTensorValueFromMemory(input.Values, input.Shape);
                        using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
                    }
                }
                file = session.EndProfiling();
            }
            return Read(Path.IsPathRooted(file) ? file : Path.Combine(Environment.CurrentDirectory, file), layers, MaxProfileBytes);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            // The times only weigh the cut: without them every layer is costed at its multiply-accumulates.
            return new Dictionary<string, double>(StringComparer.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The median time per run of each layer in a profile ONNX Runtime wrote (the first run left out);
    /// <paramref name="layers"/> gives the layers a profiled node's name may stand for (<see cref="ProfiledNames"/>).
    /// </summary>
    internal static IReadOnlyDictionary<string, double> Read(string file, IReadOnlyDictionary<string, string[]> layers, long maxBytes)
    {
        var length = new FileInfo(file).Length;
        if (length > maxBytes)
            throw new InvalidDataException($"{file}: ONNX Runtime's profile is {length:N0} bytes, more than the {maxBytes:N0} expected of a few runs");
        using var stream = File.OpenRead(file);
        using var document = JsonDocument.Parse(stream);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{file}: expected ONNX Runtime's profile, a JSON array of events");
        // A run's node events come before its "model_run" event; a layer's kernels (several when ONNX Runtime split
        // or fused it) are summed per run.
        var perRun = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        var run = 0;
        const string suffix = "_kernel_time";
        foreach (var e in document.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object || String(e, "cat") is not { } category || String(e, "name") is not { } name) continue;
            if (category == "Session" && name == "model_run") run++;
            if (category != "Node" || !name.EndsWith(suffix, StringComparison.Ordinal) || !e.TryGetProperty("dur", out var duration) || duration.ValueKind != JsonValueKind.Number
                || !layers.ContainsKey(name[..^suffix.Length]))
                continue;
            var node = name[..^suffix.Length];
            if (!perRun.TryGetValue(node, out var runs)) perRun[node] = runs = [];
            runs[run] = runs.GetValueOrDefault(run) + duration.GetDouble();
        }
        // A name two layers may stand for (a residual Add fused into one of the two Convs feeding it) is the layer's
        // that has no profiled name of its own.
        var named = perRun.Keys.Where(n => layers[n].Length == 1).Select(n => layers[n][0]).ToHashSet(StringComparer.Ordinal);
        var byLayer = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        foreach (var (node, runs) in perRun)
        {
            var owners = layers[node].Length == 1 ? layers[node] : layers[node].Where(l => !named.Contains(l)).ToArray();
            if (owners.Length != 1) continue;
            if (!byLayer.TryGetValue(owners[0], out var sums)) byLayer[owners[0]] = sums = [];
            foreach (var (r, time) in runs) sums[r] = sums.GetValueOrDefault(r) + time;
        }
        return byLayer.ToDictionary(p => p.Key, p => Median(p.Value.Where(r => r.Key > 0 || p.Value.Count == 1).Select(r => r.Value).ToList()), StringComparer.Ordinal);
    }

    private static string? String(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// The names under which ONNX Runtime may profile each Conv, Gemm and MatMul layer, and the layers each may stand
    /// for: the node's own name, "fused &lt;name&gt;" (a Gemm fused with its activation), and "&lt;value&gt;_nchwc" for the
    /// layer's output or that of an element-wise chain after it (a blocked Conv takes its activation and a residual
    /// Add into itself and is named after the last output).
    /// </summary>
    internal static IReadOnlyDictionary<string, string[]> ProfiledNames(GraphProto graph)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Where(i => i.Length > 0).Distinct().Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string layer)
        {
            if (!names.TryGetValue(name, out var list)) names[name] = list = [];
            if (!list.Contains(layer)) list.Add(layer);
        }
        foreach (var node in graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul" && n.Domain is "" or "ai.onnx"))
        {
            var layer = LayerCost.NameOf(node);
            Add(layer, layer);
            Add("fused " + layer, layer);
            var value = node.Output[0];
            for (var depth = 0; depth < 4; depth++)
            {
                Add(value + "_nchwc", layer);
                if (consumers[value].ToList() is not [{ OpType: "Relu" or "Clip" or "LeakyRelu" or "HardSigmoid" or "Sigmoid" or "Tanh" or "Add" or "Sum" or "BatchNormalization" } next]) break;
                value = next.Output[0];
            }
        }
        return names.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
