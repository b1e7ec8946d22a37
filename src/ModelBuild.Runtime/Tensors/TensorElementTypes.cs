using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelBuild.Runtime;

/// <summary>The ONNX element type each C# element type of the generated classes stands for.</summary>
internal static class TensorElementTypes
{
    public static TensorElementType For<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => TensorElementType.Float,
        var t when t == typeof(double) => TensorElementType.Double,
        var t when t == typeof(Float16) => TensorElementType.Float16,
        var t when t == typeof(long) => TensorElementType.Int64,
        var t when t == typeof(int) => TensorElementType.Int32,
        var t when t == typeof(short) => TensorElementType.Int16,
        var t when t == typeof(sbyte) => TensorElementType.Int8,
        var t when t == typeof(ulong) => TensorElementType.UInt64,
        var t when t == typeof(uint) => TensorElementType.UInt32,
        var t when t == typeof(ushort) => TensorElementType.UInt16,
        var t when t == typeof(byte) => TensorElementType.UInt8,
        var t when t == typeof(bool) => TensorElementType.Bool,
        _ => throw new NotSupportedException($"{typeof(T)} is not an ONNX tensor element type ModelBuild exposes."),
    };
}
