using System.IO.Compression;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// Inflates the container's graph part a piece at a time straight into a pass's output, reading the Deflate data
/// in place (no copy of it, no buffer of the declared size), and stops at the declared length: a Deflate bomb is
/// read no further than the header says, then refused.
/// </summary>
internal sealed unsafe class GraphInflater : IDisposable
{
    private readonly DeflateStream _inflater;
    private readonly long _declared;
    private readonly long _offset;
    private long _inflated;

    /// <param name="deflated">The Deflate data, pinned by the caller for this object's lifetime.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <param name="declared">The graph part's length from the header.</param>
    /// <param name="offset">Where the Deflate data starts in the resource, for messages.</param>
    public GraphInflater(byte* deflated, long length, long declared, long offset)
    {
        _inflater = new DeflateStream(new UnmanagedMemoryStream(deflated, length), CompressionMode.Decompress);
        _declared = declared;
        _offset = offset;
    }

    /// <summary>The next <paramref name="count"/> bytes of the graph part, into <paramref name="output"/>.</summary>
    public void CopyTo(DecodedOutput output, long count)
    {
        while (count > 0)
        {
            var piece = (int)Math.Min(count, DecodedOutput.PieceLength);
            var span = output.Next(piece);
            var read = Fill(span);
            if (read < piece)
                throw new ModelContainerException(_offset, $"the compressed graph holds {_inflated} bytes, the header says {_declared}");
            output.Advance(piece);
            count -= piece;
        }
    }

    /// <summary>After the declared length: the Deflate data must hold nothing more.</summary>
    public void RequireEnd()
    {
        Span<byte> probe = stackalloc byte[1];
        if (Fill(probe) != 0)
            throw new ModelContainerException(_offset, $"the compressed graph holds more than {_declared} bytes, the header says {_declared}");
    }

    private int Fill(Span<byte> span)
    {
        try
        {
            var total = 0;
            int read;
            while (total < span.Length && (read = _inflater.Read(span[total..])) > 0) total += read;
            _inflated += total;
            return total;
        }
        catch (InvalidDataException e)
        {
            throw new ModelContainerException(_offset, $"the compressed graph is not valid Deflate data ({e.Message.TrimEnd('.')})", e);
        }
    }

    public void Dispose() => _inflater.Dispose();
}
