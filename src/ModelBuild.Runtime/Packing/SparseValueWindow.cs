namespace ModelBuild.Runtime.Packing;

/// <summary>
/// A sparse payload's non-zero values, decoded ahead of the pieces that place them. A 16 KB piece of a 90 %-pruned
/// float tensor holds about 400 values: decoded a piece at a time, each plane's decoder would start and stop every 400
/// symbols, and the vector decoders' start and stop cost as much as the symbols. Decoded a piece's bytes of values at a
/// time, they run ten times longer a call. The buffer holds two pieces' bytes: the values not yet placed, moved to its
/// front before a refill, and the run being placed, which the scatter reads up to a piece's elements ahead.
/// </summary>
internal struct SparseValueWindow(byte[] buffer, int elementSize, long nonZero)
{
    private int _start;
    private int _end;
    private long _decoded;

    /// <summary>
    /// The next <paramref name="count"/> elements' bytes of the buffer, whose first <paramref name="ones"/> are the next
    /// values (decoded first if needed); the values are then taken. The caller checks that at most the recorded non-zero
    /// count is taken.
    /// </summary>
    public ReadOnlySpan<byte> Take(ReadOnlySpan<byte> resource, ReadOnlySpan<PlaneStream> planes, byte[] scratch, int ones, int count)
    {
        var need = ones * elementSize;
        var window = count * elementSize;
        if (_end - _start < need || _start + window > buffer.Length)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
            if (_end < need)
            {
                var run = (int)Math.Min(DecodedOutput.PieceLength / elementSize, nonZero - _decoded) * elementSize;
                TensorPayload.DecodePlanes(resource, buffer.AsSpan(_end, run), planes, scratch);
                _end += run;
                _decoded += run / elementSize;
            }
        }
        var readable = buffer.AsSpan(_start, window);
        _start += need;
        return readable;
    }
}
