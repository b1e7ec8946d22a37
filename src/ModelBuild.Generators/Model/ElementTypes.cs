using System.Collections.Generic;

namespace ModelBuild.Generators.Model;

/// <summary>The ONNX element types the generated classes expose, and the C# type of each.</summary>
internal static class ElementTypes
{
    // ONNX Runtime's own Float16 rather than System.Half: its tensors accept it without a copy.
    private static readonly Dictionary<string, string> CSharpTypes = new()
    {
        ["float"] = "float",
        ["double"] = "double",
        ["float16"] = "global::Microsoft.ML.OnnxRuntime.Float16",
        ["int64"] = "long",
        ["int32"] = "int",
        ["int16"] = "short",
        ["int8"] = "sbyte",
        ["uint64"] = "ulong",
        ["uint32"] = "uint",
        ["uint16"] = "ushort",
        ["uint8"] = "byte",
        ["bool"] = "bool",
    };

    public static string SupportedList { get; } = string.Join(", ", CSharpTypes.Keys);

    public static bool TryGetCSharpType(string onnxElementType, out string cSharpType)
        => CSharpTypes.TryGetValue(onnxElementType, out cSharpType!);
}
