using System.IO.Hashing;
using System.Security.Cryptography;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The checksum of the decoded model that a container records: XxHash3 (64 bits) from version 4, SHA-256 in versions
/// 1 to 3 (see <see cref="ModelContainerFormat.Checksum"/> for why a non-cryptographic one is enough). A decoded model
/// is hashed whole (<see cref="Matches(ReadOnlySpan{byte}, ReadOnlySpan{byte}, byte)"/>): System.IO.Hashing's XxHash3
/// is many times faster over one span than appended 16 KB at a time, which was slower than SHA-256. An instance
/// hashes the pieces of the checksum pass, which has no model to hash.
/// </summary>
internal sealed class ModelChecksum : IDisposable
{
    private readonly XxHash3? _xxHash3;
    private readonly IncrementalHash? _sha256;
    private readonly byte _version;

    public ModelChecksum(byte version)
    {
        _version = version;
        if (version >= ModelContainerFormat.XxHash3Version) _xxHash3 = new XxHash3();
        else _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_xxHash3 is not null) _xxHash3.Append(bytes);
        else _sha256!.AppendData(bytes);
    }

    /// <summary>Whether the bytes appended so far have the checksum <paramref name="expected"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[ModelContainerFormat.ChecksumLength(_version)];
        var written = _xxHash3 is not null ? _xxHash3.GetCurrentHash(actual) : _sha256!.GetCurrentHash(actual);
        return written == actual.Length && actual.SequenceEqual(expected);
    }

    public void Dispose() => _sha256?.Dispose();

    /// <summary>Whether <paramref name="model"/> has the checksum <paramref name="expected"/> that a container of <paramref name="version"/> records.</summary>
    public static bool Matches(ReadOnlySpan<byte> model, ReadOnlySpan<byte> expected, byte version) =>
        ModelContainerFormat.Checksum(model, version).AsSpan().SequenceEqual(expected);
}
