using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.TestSupport;

/// <summary>Seeded random inputs for a model, built from its signature.</summary>
public static class RandomInputs
{
    /// <summary>
    /// One input per real graph input. Fixed dimensions are kept; a symbolic or unknown one takes the size named in
    /// <paramref name="dimSizes"/> (by dim_param) or <paramref name="dynamicSize"/>. <paramref name="shapes"/> sets
    /// whole shapes by input name (e.g. the OCR recognizer's x = [1,3,48,320]). Floats are in [0, 1).
    /// </summary>
    public static Dictionary<string, InputTensor> For(
        ModelProto model,
        int seed = 1,
        long dynamicSize = 1,
        IReadOnlyDictionary<string, long>? dimSizes = null,
        IReadOnlyDictionary<string, long[]>? shapes = null)
    {
        var random = new Random(seed);
        var inputs = new Dictionary<string, InputTensor>();
        foreach (var signature in ModelSignature.Inputs(model))
        {
            var shape = shapes is not null && shapes.TryGetValue(signature.Name, out var given)
                ? given
                : ShapeOf(signature, dynamicSize, dimSizes);
            inputs[signature.Name] = new InputTensor(Values(signature, random, shape), shape);
        }
        return inputs;
    }

    private static long[] ShapeOf(TensorSignature signature, long dynamicSize, IReadOnlyDictionary<string, long>? dimSizes)
    {
        if (signature.Dims is null)
            throw new ArgumentException($"input '{signature.Name}' has no declared shape; pass its shape in 'shapes'");
        return signature.Dims
            .Select(d => long.TryParse(d, out var fixedSize) ? fixedSize
                : dimSizes is not null && dimSizes.TryGetValue(d, out var named) ? named
                : dynamicSize)
            .ToArray();
    }

    private static Array Values(TensorSignature signature, Random random, long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return signature.ElementType switch
        {
            "float" => Fill(count, () => random.NextSingle()),
            "double" => Fill(count, random.NextDouble),
            "int64" => Fill(count, () => (long)random.Next(0, 10)),
            "int32" => Fill(count, () => random.Next(0, 10)),
            "uint8" => Fill(count, () => (byte)random.Next(0, 256)),
            "int8" => Fill(count, () => (sbyte)random.Next(-128, 128)),
            "bool" => Fill(count, () => random.Next(2) == 1),
            var other => throw new NotSupportedException($"input '{signature.Name}' has element type {other}, which the test inputs do not make"),
        };
    }

    private static T[] Fill<T>(int count, Func<T> next)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
            values[i] = next();
        return values;
    }
}
