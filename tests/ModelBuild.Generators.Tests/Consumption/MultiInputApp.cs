using Google.Protobuf;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime;
using ModelBuild.TestSupport;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>
/// TestModels.MultiInputModel (float, int64, uint8 and bool inputs with a dynamic N; float and int64 outputs) built
/// into an app once for all the consumption tests. The app code below is what a user would write.
/// </summary>
public sealed class MultiInputApp
{
    private const string AppSource = """
        using System.Linq;
        using System.Threading;
        using ModelBuild.Runtime;
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Multi Create() => new Multi();

                public static ModelInfo Info() => Multi.Info;

                public static object[] Run(Multi model, float[] values, long[] offsets, byte[] pixels, bool[] mask, long n, CancellationToken token)
                {
                    MultiOutput output = model.Run(values, offsets, pixels, mask, n, cancellationToken: token);
                    return new object[] { output.Selected.Data, output.Selected.Shape.ToArray(), output.Count.Data, output.Count.Shape.ToArray() };
                }
            }
        }
        """;

    internal CompiledApp App { get; } = CompiledApp.Build("Multi", Model, AppSource);

    public static ModelProto Model { get; } = TestModels.MultiInputModel();

    public static byte[] ModelBytes { get; } = Model.ToByteArray();

    public EmbeddedModel Create() => (EmbeddedModel)App.Call("App.Calls", "Create")!;

    public ModelInfo Info() => (ModelInfo)App.Call("App.Calls", "Info")!;

    /// <summary>Runs the generated class on inputs made by RandomInputs, returning outputs like OrtRunner's.</summary>
    public IReadOnlyDictionary<string, OutputTensor> Run(EmbeddedModel model, IReadOnlyDictionary<string, InputTensor> inputs, long n, CancellationToken token = default)
    {
        var result = (object[])App.Call("App.Calls", "Run",
            model, inputs["values"].Data, inputs["offsets"].Data, inputs["pixels"].Data, inputs["mask"].Data, n, token)!;
        return new Dictionary<string, OutputTensor>
        {
            ["selected"] = new((float[])result[0], (long[])result[1]),
            ["count"] = new(((long[])result[2]).Select(v => (float)v).ToArray(), (long[])result[3]),
        };
    }
}
