using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>One temporary app that the bad-input tests reuse, each writing its own project file and models.</summary>
public sealed class BadInputApp : IDisposable
{
    private readonly object _gate = new();
    private ConsumerApp? _app;

    /// <summary>A small valid model, written to "fix" a broken one.</summary>
    public byte[] ValidModel { get; } = TestModels.MatMulModel().ToByteArray();

    public ConsumerApp Ensure(PackedModelBuild package)
    {
        lock (_gate)
            return _app ??= new ConsumerApp(package);
    }

    public void Dispose() => _app?.Dispose();
}
