namespace ModelBuild.Runtime;

/// <summary>Shape arithmetic and messages shared by the input checks.</summary>
internal static class ShapeCheck
{
    public static long ElementCount(string tensorName, string parameterName, long[] shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentOutOfRangeException(
                    parameterName,
                    $"Input '{tensorName}' was given shape {Format(shape)}; dimensions must not be negative.");
            }
            count = checked(count * dimension);
        }
        return count;
    }

    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
