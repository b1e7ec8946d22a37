namespace ModelBuild.Runtime;

/// <summary>One output tensor, copied out of ONNX Runtime: row-major data and the shape it came with.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ModelTensor<T> where T : unmanaged
{
    public ModelTensor(string name, T[] data, long[] shape)
    {
        Name = name;
        Data = data;
        Shape = shape;
    }

    /// <summary>The tensor's name in the model.</summary>
    public string Name { get; }

    /// <summary>The elements, row-major.</summary>
    public T[] Data { get; }

    /// <summary>The shape ONNX Runtime returned.</summary>
    public IReadOnlyList<long> Shape { get; }

    public override string ToString() => $"{Name} {typeof(T).Name}{ShapeCheck.Format(Shape)}";
}
