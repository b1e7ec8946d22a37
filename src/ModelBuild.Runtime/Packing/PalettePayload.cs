using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The payload of a tensor whose elements take at most 256 values (version 3): the values once, as they are, and one
/// index byte per element, entropy coded. Clustered weights and the float weights of a fake-quantized export take
/// 256 values or fewer, so their 2-, 4- or 8-byte elements cost what an int8 tensor's bytes do. Checked: element size
/// 1, 2, 4 or 8 dividing the length, a palette of 1 to 256 entries within the resource, every index below its size.
/// </summary>
internal static class PalettePayload
{
    /// <summary>Reads and checks the payload after its kind byte and, unless <paramref name="output"/> only checks structure, decodes it.</summary>
    public static void Decode(ref ContainerReader reader, long length, DecodedOutput output, TensorDecoders decoders, byte version)
    {
        var elementSize = TensorPayload.ReadElementSize(ref reader, length, "a palette tensor's element size");
        var elements = length / elementSize;
        var sizeOffset = reader.Position;
        var size = (int)reader.ReadVarint("a palette's size", 256);
        if (size == 0)
            throw new ModelContainerException(sizeOffset, "a palette has 0 entries; expected 1 to 256");
        var paletteOffset = reader.Position;
        reader.ReadBytes((long)size * elementSize, "a palette");
        var indices = decoders.Streams[0];
        indices.Read(ref reader, elements, version);
        if (!output.Decodes) return;

        var resource = reader.Bytes;
        var palette = resource.Slice(paletteOffset, size * elementSize);
        var elementsPerPiece = DecodedOutput.PieceLength / elementSize;
        for (long done = 0; done < elements; done += elementsPerPiece)
        {
            var count = (int)Math.Min(elementsPerPiece, elements - done);
            var pieceIndices = decoders.Symbols.AsSpan(0, count);
            indices.DecodeNext(resource, pieceIndices);
            if (size < 256 && pieceIndices.IndexOfAnyInRange((byte)size, (byte)255) is var bad and >= 0)
                throw new ModelContainerException(sizeOffset, $"element {done + bad} of a palette tensor has index {pieceIndices[bad]}; expected below the palette's {size} entries");
            var piece = output.Next(count * elementSize);
            switch (elementSize)
            {
                case 1: Map(pieceIndices, palette, piece); break;
                case 2: Map(pieceIndices, MemoryMarshal.Cast<byte, ushort>(palette), MemoryMarshal.Cast<byte, ushort>(piece)); break;
                case 4: Map(pieceIndices, MemoryMarshal.Cast<byte, uint>(palette), MemoryMarshal.Cast<byte, uint>(piece)); break;
                default: Map(pieceIndices, MemoryMarshal.Cast<byte, ulong>(palette), MemoryMarshal.Cast<byte, ulong>(piece)); break;
            }
            output.Advance(count * elementSize);
        }
        indices.Finish(resource);
    }

    // Fully optimized at once, as the stream decoders: a model is decoded once per process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Map<T>(ReadOnlySpan<byte> indices, ReadOnlySpan<T> palette, Span<T> elements)
    {
        for (var i = 0; i < indices.Length; i++) elements[i] = palette[indices[i]];
    }
}
