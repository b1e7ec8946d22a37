namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The constants of the ModelBuild container (docs/internals.md, "Model container"): the resource a packed recipe
/// (<c>huffman</c>, <c>int8+huffman</c>, ...) embeds instead of a plain ONNX file. The writer lives in
/// ModelBuild.Compression; the decoder ships with apps, here.
/// Public, and here rather than in ModelBuild.Contracts: the writer already references this assembly, while apps ship
/// only this one, so the decoder must not depend on another; public instead of InternalsVisibleTo, so the writer
/// reads the format the way any other tool would.
/// </summary>
public static class ModelContainerFormat
{
    /// <summary>PNG-style: a non-ASCII first byte (an ONNX file starts with protobuf tag 0x08) and line-end bytes that text-mode copies would damage.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'M', (byte)'B', (byte)'C', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The version the writer writes: 2 adds the rANS stream mode to version 1, 3 the interleaved rANS mode and the
    /// sparse and palette payloads, 4 the four-state rANS mode and the XxHash3 checksum in place of SHA-256, 5 the
    /// 32-state rANS modes decoded with vectors, 6 the rANS modes with a smooth table and the eight-state vector modes,
    /// 7 the sparse payload whose flags are a bitmap.
    /// </summary>
    public const byte Version = 7;

    /// <summary>The first version whose checksum is XxHash3 (8 bytes) rather than SHA-256 (32 bytes).</summary>
    public const byte XxHash3Version = 4;

    /// <summary>The oldest version this runtime still decodes (no rANS streams).</summary>
    public const byte OldestVersion = 1;

    /// <summary>Bytes of the checksum of the decoded model in a container of <paramref name="version"/>: 8 (XxHash3) from version 4, 32 (SHA-256) before.</summary>
    public static int ChecksumLength(byte version) => version >= XxHash3Version ? 8 : 32;

    /// <summary>The checksum's name, for messages.</summary>
    public static string ChecksumName(byte version) => version >= XxHash3Version ? "XxHash3" : "SHA-256";

    /// <summary>
    /// The checksum a container of <paramref name="version"/> records for <paramref name="model"/>: from version 4
    /// the 64-bit XxHash3 (seed 0, big-endian), before it SHA-256. A non-cryptographic hash is enough: the container is
    /// embedded in the user's own assembly, so whoever could forge one could replace the model (or the code) outright;
    /// the checksum only has to catch corruption and truncation, which a 64-bit hash misses with probability 2^-64;
    /// and the decoder is bounds-checked whatever the bytes say, so a forged container costs bounded time and memory
    /// either way. XxHash3 runs at memory speed, where SHA-256 alone took up to 0.4 of a model's session start.
    /// </summary>
    public static byte[] Checksum(ReadOnlySpan<byte> model, byte version) =>
        version >= XxHash3Version ? System.IO.Hashing.XxHash3.Hash(model) : System.Security.Cryptography.SHA256.HashData(model);

    /// <summary>The longest Huffman code: a decode table of 2^15 entries stays small.</summary>
    public const int MaxCodeLength = 15;

    /// <summary>Bytes of the bitmap of the symbols a Huffman stream uses (one bit per byte value).</summary>
    public const int SymbolBitmapLength = 32;

    /// <summary>A stream's bytes as they are.</summary>
    public const byte StoredStream = 0;

    /// <summary>A stream of one repeated byte: the byte alone.</summary>
    public const byte ConstantStream = 1;

    /// <summary>A canonical Huffman code table and the coded bits.</summary>
    public const byte HuffmanStream = 2;

    /// <summary>A static rANS code (version 2): symbol bitmap, a frequency per used symbol summing to 2^<see cref="RansScaleBits"/>, the coded bytes.</summary>
    public const byte RansStream = 3;

    /// <summary>
    /// Static rANS with two states taking turns (version 3): the same table, then the byte count, both final states
    /// (4 bytes each, little-endian, the one of the first symbol first) and the renormalization bytes. Decodes faster
    /// than <see cref="RansStream"/>: the two chains of dependent steps overlap.
    /// </summary>
    public const byte InterleavedRansStream = 4;

    /// <summary>
    /// Static rANS with four states taking turns (version 4): as <see cref="InterleavedRansStream"/> with four final
    /// states. Faster to decode than two states (more chains of dependent steps overlap), for 8 more bytes: the writer
    /// uses it for streams long enough that these cost under about 0.5 %.
    /// </summary>
    public const byte FourStateRansStream = 5;

    /// <summary>
    /// Static rANS with <see cref="WideRansStates"/> states taking turns, 16-bit renormalization and a table of
    /// 2^<see cref="WideRansScaleBits"/> slots (version 5): a symbol bitmap and a varint frequency (1 to 4096) per used
    /// symbol summing to 4096, then the byte count, the 32 final states (4 bytes each, little-endian, the first
    /// symbol's first) and the renormalization words (2 bytes, little-endian) in the order the decoder reads them.
    /// Each state stays in [<see cref="WideRansLowerBound"/>, 2^32) and reads at most one word per symbol, so eight
    /// states make one 256-bit vector and a turn of 32 is four of them; a slot's symbol, frequency and start fit one
    /// 32-bit entry, one AVX2 gather per eight symbols. Several times faster to decode than
    /// <see cref="FourStateRansStream"/>; the writer uses it where it costs at most 0.5 % more.
    /// </summary>
    public const byte WideRansStream = 6;

    /// <summary>
    /// As <see cref="WideRansStream"/> with the 2^14-slot table of the other rANS modes (version 5): frequencies 1 to
    /// 16384 summing to 16384. Two dependent gathers a step (the slot's symbol, then its frequency and start), about half
    /// as fast as the 2^12 table and still twice as fast as <see cref="FourStateRansStream"/>: the writer uses it where
    /// the coarser table would cost over 0.5 % (a long tail of rare symbols, each given at least 1/4096).
    /// </summary>
    public const byte FineWideRansStream = 7;

    /// <summary>
    /// As <see cref="RansStream"/> (one state) with a smooth table in place of the bitmap and varint frequencies
    /// (version 6; <see cref="SmoothFrequencyTable"/>): a run of symbols, a bin width and a few bits per bin, 4-20 bytes
    /// where a per-symbol table of quantized weights takes 100-300. For streams too short for more states to pay.
    /// </summary>
    public const byte SmoothRansStream = 8;

    /// <summary>As <see cref="InterleavedRansStream"/> (two states) with a smooth table (version 6).</summary>
    public const byte SmoothInterleavedRansStream = 9;

    /// <summary>As <see cref="FourStateRansStream"/> with a smooth table (version 6).</summary>
    public const byte SmoothFourStateRansStream = 10;

    /// <summary>As <see cref="WideRansStream"/> (32 states, 2^12 slots) with a smooth table (version 6).</summary>
    public const byte SmoothWideRansStream = 11;

    /// <summary>
    /// As <see cref="WideRansStream"/> with <see cref="EightRansStates"/> states, one 256-bit vector a turn (version 6):
    /// the same table, arithmetic and words, 8 initial states (32 bytes, 16 more than <see cref="FourStateRansStream"/>'s
    /// where the 32-state modes take 112 more), so the writer can use vectors on streams from about 3,200 bytes of entropy.
    /// One vector's steps depend on each other, so it decodes slower than 32 states, still faster than four scalar ones.
    /// </summary>
    public const byte EightStateRansStream = 12;

    /// <summary>As <see cref="FineWideRansStream"/> (2^14 slots) with eight states (version 6).</summary>
    public const byte FineEightStateRansStream = 13;

    /// <summary>As <see cref="SmoothWideRansStream"/> (2^12 slots, smooth table) with eight states (version 6).</summary>
    public const byte SmoothEightStateRansStream = 14;

    /// <summary>What a rANS stream mode is: the first version that has it, its states, its table's slots (2^ScaleBits) and whether its table is smooth.</summary>
    public readonly record struct RansMode(byte Mode, byte MinVersion, int States, int ScaleBits, bool Smooth);

    /// <summary>Every rANS stream mode, the one place the writer and the decoder take them from.</summary>
    public static readonly RansMode[] RansModes =
    [
        new(RansStream, 2, 1, RansScaleBits, false),
        new(InterleavedRansStream, 3, 2, RansScaleBits, false),
        new(FourStateRansStream, 4, 4, RansScaleBits, false),
        new(WideRansStream, 5, WideRansStates, WideRansScaleBits, false),
        new(FineWideRansStream, 5, WideRansStates, RansScaleBits, false),
        new(SmoothRansStream, 6, 1, RansScaleBits, true),
        new(SmoothInterleavedRansStream, 6, 2, RansScaleBits, true),
        new(SmoothFourStateRansStream, 6, 4, RansScaleBits, true),
        new(SmoothWideRansStream, 6, WideRansStates, WideRansScaleBits, true),
        new(EightStateRansStream, 6, EightRansStates, WideRansScaleBits, false),
        new(FineEightStateRansStream, 6, EightRansStates, RansScaleBits, false),
        new(SmoothEightStateRansStream, 6, EightRansStates, WideRansScaleBits, true),
    ];

    /// <summary>The rANS mode <paramref name="mode"/> names in a container of <paramref name="version"/>, or null (not rANS, or newer than the version).</summary>
    public static RansMode? RansModeOf(byte mode, byte version)
    {
        foreach (var rans in RansModes)
        {
            if (rans.Mode == mode) return version >= rans.MinVersion ? rans : null;
        }
        return null;
    }

    /// <summary>The mode byte of a rANS stream with these states, slots and table kind.</summary>
    public static byte RansModeFor(int states, int scaleBits, bool smooth) =>
        RansModes.First(rans => rans.States == states && rans.ScaleBits == scaleBits && rans.Smooth == smooth).Mode;

    /// <summary>The states of an <see cref="EightStateRansStream"/>: one vector.</summary>
    public const int EightRansStates = 8;

    /// <summary>The states of a <see cref="WideRansStream"/>: four vectors of eight, enough to hide the gathers' latency.</summary>
    public const int WideRansStates = 32;

    /// <summary>The lower bound of a <see cref="WideRansStream"/>'s states: they stay in [2^16, 2^32), renormalized 16 bits at a time; the encoder starts at it and the decoder must end at it.</summary>
    public const uint WideRansLowerBound = 1u << 16;

    /// <summary>A <see cref="WideRansStream"/>'s frequencies sum to 2^12: a slot's entry (symbol, frequency - 1, start) is 8 + 12 + 12 bits.</summary>
    public const int WideRansScaleBits = 12;

    /// <summary>
    /// A tensor payload of its non-zero elements (version 3): element size; non-zero count; a stream of one flag
    /// byte (0 or 1) per element; a value plane count (1 or the element size) and that many streams of the non-zero
    /// elements' bytes. A zero element is one whose bytes are all 0.
    /// </summary>
    public const byte SparsePayload = 16;

    /// <summary>
    /// As <see cref="SparsePayload"/> with the flags packed eight to a byte (version 7): a stream of ceil(elements / 8)
    /// bytes, bit b (least significant first) of byte j flagging element 8j + b, the last byte's unused bits zero. An
    /// element's flag costs about as much either way (eight flags a symbol carry what eight symbols do), but the
    /// entropy decoder turns out an eighth of the symbols: a 90 %-pruned tensor decodes several times faster.
    /// </summary>
    public const byte SparseBitmapPayload = 17;

    /// <summary>The first version with <see cref="SparseBitmapPayload"/>.</summary>
    public const byte SparseBitmapVersion = 7;

    /// <summary>
    /// A tensor payload of palette indices (version 3): element size; palette size (1 to 256); the palette's elements
    /// as they are; a stream of one index byte per element, each below the palette size.
    /// </summary>
    public const byte PalettePayload = 32;

    /// <summary>rANS frequencies sum to 2^14: fine enough that a symbol of probability 0.95 costs 0.074 bits, coarse enough that a state stays in 32 bits.</summary>
    public const int RansScaleBits = 14;

    /// <summary>The rANS state's lower bound: it stays in [2^23, 2^31), renormalized a byte at a time; the encoder starts at it and the decoder must end at it.</summary>
    public const uint RansLowerBound = 1u << 23;

    /// <summary>Whether <paramref name="resource"/> starts with the container's magic (a plain ONNX model never does).</summary>
    public static bool IsContainer(ReadOnlySpan<byte> resource) => resource.StartsWith(Magic);
}
