using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace ModelBuild.Runtime;

/// <summary>
/// The input values of one call, added in the order of <see cref="ModelInfo.InputNames"/>. Each value wraps the
/// caller's memory, pinned for the value's lifetime, without copying it.
/// </summary>
public sealed class ModelInputs : IDisposable
{
    private readonly IReadOnlyList<string> _names;
    private readonly List<OrtValue> _values;

    internal ModelInputs(IReadOnlyList<string> names)
    {
        _names = names;
        _values = new List<OrtValue>(names.Count);
    }

    internal IReadOnlyCollection<OrtValue> Values => _values;

    /// <summary>Adds the next input after checking that <paramref name="data"/> holds exactly <paramref name="shape"/>'s element count.</summary>
    /// <param name="parameterName">The generated parameter, named in the exception.</param>
    /// <param name="data">Row-major tensor data; ONNX Runtime reads it in place.</param>
    /// <param name="shape">The shape to run with (dynamic dimensions already filled in).</param>
    public void Add<T>(string parameterName, ReadOnlyMemory<T> data, long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (_values.Count >= _names.Count)
            throw new InvalidOperationException($"The model has {_names.Count} input(s); a further one was added.");
        var tensorName = _names[_values.Count];
        var expectedLength = ShapeCheck.ElementCount(tensorName, parameterName, shape);
        if (expectedLength != data.Length)
        {
            throw new ArgumentException(
                $"Input '{tensorName}' expects shape {ShapeCheck.Format(shape)} ({expectedLength} values), "
                + $"but {data.Length} values were given.",
                parameterName);
        }
        // ONNX Runtime never writes to its inputs, so handing it the read-only memory as writable is safe.
        var memory = MemoryMarshal.AsMemory(data);
        _values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, shape));
    }

    public void Dispose()
    {
        foreach (var value in _values) value.Dispose();
        _values.Clear();
    }
}
