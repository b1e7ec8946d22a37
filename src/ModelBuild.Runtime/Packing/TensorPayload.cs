namespace ModelBuild.Runtime.Packing;

/// <summary>
/// One packed tensor's payload: a plane count (1, 2, 4 or 8) and one stream per byte plane. With P planes, plane p
/// holds bytes p, p + P, p + 2P, ... of the tensor's <c>raw_data</c>: the exponent bytes of float weights and the
/// high bytes of int32 biases are nearly constant and code well apart from the noisy low bytes.
/// </summary>
internal static class TensorPayload
{
    public static void Decode(ref ContainerReader reader, Span<byte> output)
    {
        var planesOffset = reader.Position;
        var planes = reader.ReadByte("a tensor's plane count");
        if (planes is not (1 or 2 or 4 or 8) || output.Length % planes != 0)
            throw new ModelContainerException(planesOffset, $"a tensor of {output.Length} bytes has {planes} byte planes; expected 1, 2, 4 or 8 that divide its length");
        if (planes == 1)
        {
            DecodeStream(ref reader, output);
            return;
        }
        var plane = new byte[output.Length / planes];
        for (var p = 0; p < planes; p++)
        {
            DecodeStream(ref reader, plane);
            for (var i = 0; i < plane.Length; i++)
                output[i * planes + p] = plane[i];
        }
    }

    private static void DecodeStream(ref ContainerReader reader, Span<byte> output)
    {
        var modeOffset = reader.Position;
        switch (reader.ReadByte("a stream's mode"))
        {
            case ModelContainerFormat.StoredStream:
                reader.ReadBytes(output.Length, "a stored stream").CopyTo(output);
                break;
            case ModelContainerFormat.ConstantStream:
                output.Fill(reader.ReadByte("a constant stream's byte"));
                break;
            case ModelContainerFormat.HuffmanStream:
                var lengths = ReadCodeLengths(ref reader);
                var byteCount = reader.ReadVarint("a Huffman stream's length", reader.Remaining);
                var bitsOffset = reader.Position;
                HuffmanStreamDecoder.Decode(lengths, reader.ReadBytes(byteCount, "a Huffman stream"), output, bitsOffset);
                break;
            case var mode:
                throw new ModelContainerException(modeOffset, $"stream mode {mode} is unknown; expected {ModelContainerFormat.StoredStream} (stored), {ModelContainerFormat.ConstantStream} (constant) or {ModelContainerFormat.HuffmanStream} (Huffman)");
        }
    }

    // A bitmap of the symbols used, then a 4-bit length for each (low nibble first), in symbol order.
    private static byte[] ReadCodeLengths(ref ContainerReader reader)
    {
        var tableOffset = reader.Position;
        var bitmap = reader.ReadBytes(ModelContainerFormat.SymbolBitmapLength, "a Huffman code table");
        var symbols = new List<int>();
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if ((bitmap[symbol >> 3] & (1 << (symbol & 7))) != 0) symbols.Add(symbol);
        }
        if (symbols.Count < 2)
            throw new ModelContainerException(tableOffset, $"a Huffman code table names {symbols.Count} symbols; expected at least 2");
        var nibbles = reader.ReadBytes((symbols.Count + 1) / 2, "a Huffman code table's lengths");
        var lengths = new byte[256];
        for (var i = 0; i < symbols.Count; i++)
        {
            var length = (byte)((nibbles[i >> 1] >> ((i & 1) * 4)) & 0x0F);
            if (length == 0)
                throw new ModelContainerException(tableOffset, $"symbol {symbols[i]} is in a Huffman code table with length 0; expected 1 to {ModelContainerFormat.MaxCodeLength}");
            lengths[symbols[i]] = length;
        }
        if (symbols.Count % 2 == 1 && (nibbles[^1] & 0xF0) != 0)
            throw new ModelContainerException(tableOffset, "a Huffman code table's unused last nibble is not zero");
        if (!CanonicalHuffmanCode.IsComplete(lengths, ModelContainerFormat.MaxCodeLength))
            throw new ModelContainerException(tableOffset, "a Huffman code table's lengths do not form a complete prefix code (Kraft sum is not 1)");
        return lengths;
    }
}
