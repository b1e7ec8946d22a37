using System.IO.Compression;
using System.Security.Cryptography;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// Decodes a ModelBuild container (the embedded resource of a packed recipe such as <c>int8+huffman</c>) into the
/// standard ONNX bytes it was made from. Decoding is byte splicing: the container holds the ONNX file with the
/// payload of each packed tensor's <c>raw_data</c> cut out (Deflate-compressed), and each payload entropy-coded with
/// where it goes back, so no protobuf code is needed. The resource is treated as untrusted: every length, count,
/// code table and offset is checked, and the result must match the recorded SHA-256 of the model; anything else is a
/// <see cref="ModelContainerException"/> saying where and what.
/// </summary>
public static class ModelContainer
{
    /// <summary>Whether <paramref name="resource"/> is a container (by its magic); a plain ONNX model never is.</summary>
    public static bool IsContainer(ReadOnlySpan<byte> resource) => ModelContainerFormat.IsContainer(resource);

    /// <summary>The ONNX model a container holds, or <paramref name="resource"/> itself when it is plain ONNX.</summary>
    public static byte[] DecodeIfContainer(byte[] resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return IsContainer(resource) ? Decode(resource) : resource;
    }

    /// <summary>The ONNX model bytes the container holds, bit for bit as they were packed.</summary>
    /// <exception cref="ModelContainerException">The resource is not a container, is damaged, or has another format version.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> resource)
    {
        var reader = new ContainerReader(resource);
        var header = ReadHeader(ref reader);
        var skeleton = Inflate(reader.ReadBytes(header.DeflatedSkeletonLength, "the compressed graph"), header.SkeletonLength, reader.Position - header.DeflatedSkeletonLength);

        var tensorCount = reader.ReadVarint("the tensor count", header.DecodedLength);
        var model = new byte[header.DecodedLength];
        long written = 0;
        long skeletonCopied = 0;
        long insertAt = 0;
        for (long tensor = 0; tensor < tensorCount; tensor++)
        {
            var entryOffset = reader.Position;
            insertAt += reader.ReadVarint("a tensor's offset", header.SkeletonLength);
            if (insertAt > header.SkeletonLength)
                throw new ModelContainerException(entryOffset, $"tensor {tensor} goes at byte {insertAt} of a graph of {header.SkeletonLength} bytes");
            var length = reader.ReadVarint("a tensor's length", header.DecodedLength);
            var skeletonPart = insertAt - skeletonCopied;
            if (length > header.DecodedLength - written - skeletonPart)
                throw new ModelContainerException(entryOffset, $"tensor {tensor} of {length} bytes does not fit the {header.DecodedLength}-byte model");
            skeleton.AsSpan((int)skeletonCopied, (int)skeletonPart).CopyTo(model.AsSpan((int)written));
            written += skeletonPart;
            skeletonCopied = insertAt;
            TensorPayload.Decode(ref reader, model.AsSpan((int)written, (int)length));
            written += length;
        }
        var rest = header.SkeletonLength - skeletonCopied;
        if (written + rest != header.DecodedLength)
            throw new ModelContainerException(reader.Position, $"the graph and tensors make {written + rest} bytes, but the header says the model has {header.DecodedLength}");
        skeleton.AsSpan((int)skeletonCopied).CopyTo(model.AsSpan((int)written));
        if (reader.Remaining != 0)
            throw new ModelContainerException(reader.Position, $"expected the end of the container, found {reader.Remaining} more bytes");
        if (!SHA256.HashData(model).AsSpan().SequenceEqual(header.Checksum))
            throw new ModelContainerException(ModelContainerFormat.Magic.Length + 1, "the decoded model does not match the recorded SHA-256 checksum");
        return model;
    }

    /// <summary>The sizes a container records, read without decoding it.</summary>
    /// <exception cref="ModelContainerException">The resource is not a container or its header is damaged.</exception>
    public static ModelContainerInfo ReadInfo(ReadOnlySpan<byte> resource)
    {
        var reader = new ContainerReader(resource);
        var header = ReadHeader(ref reader);
        return new ModelContainerInfo(header.Version, resource.Length, header.DecodedLength);
    }

    private static Header ReadHeader(ref ContainerReader reader)
    {
        var magic = reader.ReadBytes(Math.Min(reader.Remaining, ModelContainerFormat.Magic.Length), "the magic");
        if (!magic.SequenceEqual(ModelContainerFormat.Magic))
            throw new ModelContainerException(0, $"expected the ModelBuild container magic {Convert.ToHexString(ModelContainerFormat.Magic)}, found {Convert.ToHexString(magic)}");
        var version = reader.ReadByte("the format version");
        if (version != ModelContainerFormat.Version)
            throw new ModelContainerException(reader.Position - 1, $"format version {version} is not supported: this runtime reads version {ModelContainerFormat.Version}; use the ModelBuild package the model was built with");
        var decodedLength = reader.ReadVarint("the model length", Array.MaxLength);
        var checksum = reader.ReadBytes(ModelContainerFormat.ChecksumLength, "the checksum").ToArray();
        var skeletonLength = reader.ReadVarint("the graph length", decodedLength);
        var deflatedLength = reader.ReadVarint("the compressed graph length", reader.Remaining);
        return new Header(version, decodedLength, checksum, skeletonLength, deflatedLength);
    }

    private static byte[] Inflate(ReadOnlySpan<byte> deflated, long length, long offset)
    {
        // Read in pieces rather than trusting the declared length with one allocation up front.
        var skeleton = new MemoryStream();
        try
        {
            using var inflater = new DeflateStream(new MemoryStream(deflated.ToArray()), CompressionMode.Decompress);
            var piece = new byte[81920];
            int read;
            while ((read = inflater.Read(piece, 0, (int)Math.Min(piece.Length, length + 1 - skeleton.Length))) > 0)
            {
                skeleton.Write(piece, 0, read);
                if (skeleton.Length > length) break;
            }
        }
        catch (InvalidDataException e)
        {
            throw new ModelContainerException(offset, $"the compressed graph is not valid Deflate data ({e.Message.TrimEnd('.')})", e);
        }
        if (skeleton.Length != length)
            throw new ModelContainerException(offset, $"the compressed graph holds {(skeleton.Length > length ? "more than " : "")}{skeleton.Length} bytes, the header says {length}");
        return skeleton.ToArray();
    }

    private sealed record Header(byte Version, long DecodedLength, byte[] Checksum, long SkeletonLength, long DeflatedSkeletonLength);
}
