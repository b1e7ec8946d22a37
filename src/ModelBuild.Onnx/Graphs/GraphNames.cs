using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>
/// Fresh value and node names for one graph. The names in use (subgraphs included, since their nodes may read outer
/// values) are collected once, and every name handed out is reserved: a rewrite that adds thousands of names stays
/// linear instead of rescanning the graph for each.
/// </summary>
public sealed class GraphNames
{
    // ONNX names are C identifiers: a letter first, then letters, digits or underscores.
    private const string FirstCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string NextCharacters = FirstCharacters + "0123456789_";

    private readonly HashSet<string> used = new(StringComparer.Ordinal);
    private long shortCounter;

    public GraphNames(GraphProto graph) => OnnxGraph.CollectNames(graph, used);

    /// <summary><paramref name="prefix"/> itself when free, else the first free <c>prefix_1</c>, <c>prefix_2</c>, ...; reserved from then on.</summary>
    public string Next(string prefix)
    {
        var candidate = prefix;
        for (var n = 1; !used.Add(candidate); n++)
            candidate = $"{prefix}_{n}";
        return candidate;
    }

    /// <summary>
    /// The next free name of a counter over C identifiers, shortest first (<c>a</c> ... <c>Z</c>, <c>aa</c>, <c>ab</c>,
    /// ...); reserved from then on. For values nobody refers to by name, where a long name only costs file size.
    /// </summary>
    public string NextShort()
    {
        string candidate;
        do candidate = ShortName(shortCounter++);
        while (!used.Add(candidate));
        return candidate;
    }

    // Bijective numbering: 0..51 are one character, the next 52 * 63 two, and so on.
    private static string ShortName(long index)
    {
        var length = 1;
        var count = (long)FirstCharacters.Length;
        while (index >= count)
        {
            index -= count;
            count *= NextCharacters.Length;
            length++;
        }
        var characters = new char[length];
        for (var i = length - 1; i > 0; i--)
        {
            characters[i] = NextCharacters[(int)(index % NextCharacters.Length)];
            index /= NextCharacters.Length;
        }
        characters[0] = FirstCharacters[(int)index];
        return new string(characters);
    }
}
