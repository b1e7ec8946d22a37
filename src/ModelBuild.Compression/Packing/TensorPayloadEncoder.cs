using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Encodes a tensor's <c>raw_data</c> as the container's payload: the bytes as one stream, or split into byte planes
/// (one per byte of the element type, each coded on its own), whichever is smaller. Planes win on multi-byte
/// types, where the high bytes (float exponents, int32 sign bytes) take few values and the low bytes many.
/// </summary>
internal static class TensorPayloadEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> rawData, int elementSize, byte version = ModelContainerFormat.Version)
    {
        var whole = EncodePlanes(rawData, 1, version);
        if (elementSize <= 1 || rawData.Length % elementSize != 0) return whole;
        var planes = EncodePlanes(rawData, elementSize, version);
        return planes.Length < whole.Length ? planes : whole;
    }

    private static byte[] EncodePlanes(ReadOnlySpan<byte> rawData, int planes, byte version)
    {
        var output = new ContainerBuffer().Byte((byte)planes);
        if (planes == 1)
        {
            StreamEncoder.Write(rawData, output, version);
            return output.ToArray();
        }
        var plane = new byte[rawData.Length / planes];
        for (var p = 0; p < planes; p++)
        {
            for (var i = 0; i < plane.Length; i++) plane[i] = rawData[i * planes + p];
            StreamEncoder.Write(plane, output, version);
        }
        return output.ToArray();
    }
}
