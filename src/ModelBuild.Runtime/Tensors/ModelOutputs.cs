using Microsoft.ML.OnnxRuntime;

namespace ModelBuild.Runtime;

/// <summary>The values one call returned, in the order of <see cref="ModelInfo.OutputNames"/>.</summary>
public sealed class ModelOutputs : IDisposable
{
    private readonly IReadOnlyList<string> _names;
    private readonly IDisposableReadOnlyCollection<OrtValue> _values;
    private Action? _release;

    /// <param name="names">The output names, in order.</param>
    /// <param name="values">What the session returned; disposed with this object.</param>
    /// <param name="release">Called once on <see cref="Dispose"/>: ends the call, which counts as in flight until then.</param>
    internal ModelOutputs(IReadOnlyList<string> names, IDisposableReadOnlyCollection<OrtValue> values, Action release)
    {
        _names = names;
        _values = values;
        _release = release;
    }

    /// <summary>
    /// Copies output <paramref name="index"/> out of ONNX Runtime's memory. The shape is the one the value has,
    /// not the one the model declares: exported models often declare a fixed batch they do not keep.
    /// </summary>
    public ModelTensor<T> Read<T>(int index) where T : unmanaged
    {
        var name = _names[index];
        var value = _values.ElementAt(index);
        var typeAndShape = value.GetTensorTypeAndShape();
        var expected = TensorElementTypes.For<T>();
        if (typeAndShape.ElementDataType != expected)
        {
            throw new InvalidOperationException(
                $"Output '{name}' was expected to hold {expected} elements but holds {typeAndShape.ElementDataType}. "
                + "Rebuild the project so the class and the embedded model come from the same build.");
        }
        return new ModelTensor<T>(name, value.GetTensorDataAsSpan<T>().ToArray(), typeAndShape.Shape);
    }

    public void Dispose()
    {
        var release = Interlocked.Exchange(ref _release, null);
        if (release is null) return;
        try
        {
            _values.Dispose();
        }
        finally
        {
            release();
        }
    }
}
