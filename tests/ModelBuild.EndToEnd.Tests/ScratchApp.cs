using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>One temporary app that a test class reuses, each test writing its own project file and models.</summary>
public sealed class ScratchApp : IDisposable
{
    private readonly object _gate = new();
    private ConsumerApp? _app;

    /// <summary>A small valid model, written to "fix" a broken one.</summary>
    public byte[] ValidModel { get; } = TestModels.MatMulModel().ToByteArray();

    /// <summary>The app, created on first use, with obj/modelbuild emptied of what an earlier test left.</summary>
    public ConsumerApp Fresh(PackedModelBuild package)
    {
        lock (_gate)
        {
            _app ??= new ConsumerApp(package);
            _app.DeleteModelBuildOutputs();
            return _app;
        }
    }

    public void Dispose() => _app?.Dispose();
}
