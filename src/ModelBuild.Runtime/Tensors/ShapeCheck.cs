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
            // A product past long.MaxValue is a shape error like any other (ArgumentException), not an OverflowException.
            if (dimension != 0 && count > long.MaxValue / dimension)
            {
                throw new ArgumentException(
                    $"Input '{tensorName}' was given shape {Format(shape)}, whose element count exceeds {long.MaxValue} (2^63 - 1); "
                    + "no array can hold it. Check the dimensions passed to Run.",
                    parameterName);
            }
            count *= dimension;
        }
        return count;
    }

    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
