using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// The app the happy-path tests share, built once: a conv classifier with all defaults (fp16, class and namespace
/// from the file) and a dense model with explicit int8-dynamic, class name and namespace. It prints each model's
/// outputs for fixed inputs and the size of each embedded resource.
/// </summary>
public sealed class TwoModelApp : IDisposable
{
    public const string ConvFile = "conv-classifier.onnx";
    public const string DenseFile = "dense.onnx";
    private readonly object _gate = new();
    private ConsumerApp? _app;

    public ConsumerApp App => _app ?? throw new InvalidOperationException("call Ensure first");

    public ProcessResult FirstBuild { get; private set; } = null!;

    public byte[] ConvModel { get; } = TestModels.ConvClassifier().ToByteArray();

    public byte[] DenseModel { get; } = TestModels.MatMulModel().ToByteArray();

    /// <summary>Creates and builds the app on first use; the package comes from the collection fixture.</summary>
    public TwoModelApp Ensure(PackedModelBuild package)
    {
        lock (_gate)
        {
            if (_app is not null)
                return this;
            _app = new ConsumerApp(package);
            _app.WriteModel(Path.Combine("Models", ConvFile), ConvModel);
            _app.WriteModel(Path.Combine("Models", DenseFile), DenseModel);
            WriteProject(denseRecipe: "int8-dynamic");
            FirstBuild = _app.Build();
            return this;
        }
    }

    public string ModelPath(string file) => Path.Combine(App.Folder, "Models", file);

    /// <summary>The compressed model or description of one class, under obj/.</summary>
    public string OutputPath(string namespaceAndClass, string extension) =>
        Path.Combine(App.ModelBuildOutputFolder, namespaceAndClass, namespaceAndClass.Split('.')[^1] + extension);

    /// <summary>Writes the project with the dense model's recipe as given.</summary>
    public void WriteProject(string denseRecipe) => App.WriteProject($"""
            <OnnxModel Include="Models/{ConvFile}" />
            <OnnxModel Include="Models/{DenseFile}" Compression="{denseRecipe}" ClassName="DenseModel" Namespace="E2eApp.Dense" />
        """, Program);

    /// <summary>The value the app feeds at flat index <paramref name="i"/>; the test computes the same.</summary>
    public static float InputValue(int i) => i * 37 % 101 / 101f;

    private const string Program = """
        using System.Globalization;

        using (var conv = new E2eApp.Models.ConvClassifier())
            Print("ConvClassifier.scores", conv.Run(Input(64), 1).Scores.Data);
        using (var dense = new E2eApp.Dense.DenseModel())
            Print("DenseModel.output", dense.Run(Input(16), 1).Output.Data);
        var assembly = typeof(E2eApp.Models.ConvClassifier).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            Console.WriteLine($"resource: {name} {stream.Length}");
        }

        static float[] Input(int length)
        {
            var values = new float[length];
            for (var i = 0; i < length; i++)
                values[i] = i * 37 % 101 / 101f;
            return values;
        }

        static void Print(string label, float[] values) =>
            Console.WriteLine(label + ": " + string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        """;

    public void Dispose() => _app?.Dispose();
}
