namespace ModelBuild.Runtime.Packing;

/// <summary>
/// A sparse payload's bitmap, decoded 4 KB at a time (the flags of 32,768 elements, eight pieces of floats) rather than
/// a piece's 512 bytes at a time: as <see cref="SparseValueWindow"/>, so the stream's decoder runs long.
/// </summary>
internal struct BitmapWindow(byte[] buffer, long total)
{
    private int _start;
    private int _end;
    private long _decoded;

    /// <summary>The next <paramref name="count"/> bytes of the bitmap (at most the buffer's length: a piece's bitmap is at most 2 KB), decoded first if needed.</summary>
    public ReadOnlySpan<byte> Take(PlaneStream stream, ReadOnlySpan<byte> resource, int count)
    {
        if (_end - _start < count)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
            var run = (int)Math.Min(buffer.Length - _end, total - _decoded);
            stream.DecodeNext(resource, buffer.AsSpan(_end, run));
            _end += run;
            _decoded += run;
        }
        var bytes = buffer.AsSpan(_start, count);
        _start += count;
        return bytes;
    }
}
