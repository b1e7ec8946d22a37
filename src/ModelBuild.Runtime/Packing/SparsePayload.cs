using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// A pruned tensor's payload (version 3): which elements are non-zero, as one flag byte per element in a stream an
/// entropy coder takes to about H(p) bits per element, and the non-zero elements alone, as byte planes. Byte planes of
/// the whole tensor would pay for the zeros once per plane; here they are paid for once. Checked: element size 1, 2,
/// 4 or 8 dividing the length, the non-zero count at most the element count, every flag 0 or 1, and exactly the
/// recorded count of ones. From version 7 the flags may come packed eight to a byte
/// (<see cref="ModelContainerFormat.SparseBitmapPayload"/>, expanded by <see cref="BitmapExpand"/>), the unused bits of
/// the last byte checked to be zero.
/// </summary>
internal static class SparsePayload
{
    /// <summary>Reads and checks the payload after its kind byte and, unless <paramref name="output"/> only checks structure, decodes it.</summary>
    public static void Decode(ref ContainerReader reader, long length, DecodedOutput output, TensorDecoders decoders, byte version, bool bitmap)
    {
        var elementSize = TensorPayload.ReadElementSize(ref reader, length, "a sparse tensor's element size");
        var elements = length / elementSize;
        var countOffset = reader.Position;
        var nonZero = reader.ReadVarint("a sparse tensor's non-zero count", elements);
        var streams = decoders.Streams;
        var flags = streams[0];
        flags.Read(ref reader, bitmap ? (elements + 7) / 8 : elements, version);
        var planes = TensorPayload.ReadElementSize(ref reader, length, "a sparse tensor's value plane count");
        if (planes != 1 && planes != elementSize)
            throw new ModelContainerException(reader.Position - 1, $"a sparse tensor of {elementSize}-byte elements has {planes} value planes; expected 1 or {elementSize}");
        for (var p = 1; p <= planes; p++) streams[p].Read(ref reader, nonZero * elementSize / planes, version);
        if (!output.Decodes) return;

        var resource = reader.Bytes;
        var valuePlanes = streams.AsSpan(1, planes);
        var values = new SparseValueWindow(decoders.SparseValues, elementSize, nonZero);
        // Byte flags need no bitmap buffer: an empty one, never taken from.
        var bits = new BitmapWindow(bitmap ? decoders.Bitmap : [], (elements + 7) / 8);
        var elementsPerPiece = DecodedOutput.PieceLength / elementSize;
        long valuesDone = 0;
        for (long done = 0; done < elements; done += elementsPerPiece)
        {
            var count = (int)Math.Min(elementsPerPiece, elements - done);
            var piece = output.Next(count * elementSize);
            if (bitmap)
            {
                var pieceBits = bits.Take(flags, resource, (count + 7) / 8);
                if (count % 8 != 0 && pieceBits[^1] >> (count % 8) != 0)
                    throw new ModelContainerException(countOffset, $"a sparse tensor's bitmap flags elements past its last; expected its last byte's {8 - count % 8} unused bits to be zero");
                var ones = BitmapExpand.Ones(pieceBits);
                CheckOnes(valuesDone, ones, nonZero, countOffset);
                // The values, and after them up to whole bytes of the bitmap: the expansion reads ahead.
                var readable = values.Take(resource, valuePlanes, decoders.Values, ones, pieceBits.Length * 8);
                valuesDone += ones;
                BitmapExpand.Expand(pieceBits, readable, piece, elementSize);
            }
            else
            {
                var pieceFlags = decoders.Symbols.AsSpan(0, count);
                flags.DecodeNext(resource, pieceFlags);
                if (pieceFlags.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
                    throw new ModelContainerException(countOffset, $"element {done + bad} of a sparse tensor has flag {pieceFlags[bad]}; expected 0 or 1");
                var ones = count - pieceFlags.Count((byte)0);
                CheckOnes(valuesDone, ones, nonZero, countOffset);
                // The values, and after them as much of the buffer as the piece has elements: the scatter reads ahead.
                var readable = values.Take(resource, valuePlanes, decoders.Values, ones, count);
                valuesDone += ones;
                switch (elementSize)
                {
                    case 1: Scatter(pieceFlags, readable, piece); break;
                    case 2: Scatter(pieceFlags, MemoryMarshal.Cast<byte, ushort>(readable), MemoryMarshal.Cast<byte, ushort>(piece)); break;
                    case 4: Scatter(pieceFlags, MemoryMarshal.Cast<byte, uint>(readable), MemoryMarshal.Cast<byte, uint>(piece)); break;
                    default: Scatter(pieceFlags, MemoryMarshal.Cast<byte, ulong>(readable), MemoryMarshal.Cast<byte, ulong>(piece)); break;
                }
            }
            output.Advance(count * elementSize);
        }
        if (valuesDone != nonZero)
            throw new ModelContainerException(countOffset, $"a sparse tensor flags {valuesDone} non-zero elements; {nonZero} were recorded");
        flags.Finish(resource);
        foreach (var plane in valuePlanes) plane.Finish(resource);
    }

    private static void CheckOnes(long valuesDone, int ones, long nonZero, long countOffset)
    {
        if (valuesDone + ones > nonZero)
            throw new ModelContainerException(countOffset, $"a sparse tensor flags more than its {nonZero} non-zero elements");
    }

    // Each element the next value where its flag is 1, else zero, without a branch (a pruned tensor's flags are too
    // irregular to predict). The value at next is read for every element: next counts the ones before element i, so
    // it is at most i, within values, which holds as many elements as flags. Fully optimized at once, as the stream decoders: a model is decoded once per process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter<T>(ReadOnlySpan<byte> flags, ReadOnlySpan<T> values, Span<T> elements)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        if (values.Length < flags.Length || elements.Length < flags.Length)
            throw new ArgumentException("a sparse piece's values and elements must be as long as its flags");
        ref var value = ref MemoryMarshal.GetReference(values);
        ref var element = ref MemoryMarshal.GetReference(elements);
        nint next = 0;
        for (var i = 0; i < flags.Length; i++)
        {
            // The flags are checked to be 0 or 1 before.
            var flag = flags[i];
            Unsafe.Add(ref element, i) = Unsafe.Add(ref value, next) & (T.Zero - T.CreateTruncating(flag));
            next += flag;
        }
    }
}
