namespace ModelBuild.Compression;

/// <summary>
/// A compression recipe by name: <c>none</c>, <c>fp16</c>, <c>int8-dynamic</c>, <c>int8</c> (static, calibrated on
/// data), <c>int8-full</c> (the same with uint8 graph inputs and outputs), <c>auto</c> (tries candidates on evaluation
/// data and keeps the best by the objective L), or one of the first five followed by <c>+huffman</c> (Deep
/// Compression's last stage: the model is stored as a ModelBuild container with entropy-coded weights, decoded to the
/// same ONNX bytes at load). <c>huffman</c> alone (also spelled <c>none+huffman</c>) packs the original losslessly.
/// </summary>
public sealed record Recipe
{
    public const string HuffmanStep = "huffman";

    public static readonly Recipe None = new("none");
    public static readonly Recipe Float16 = new("fp16");
    public static readonly Recipe Int8Dynamic = new("int8-dynamic");
    public static readonly Recipe Int8 = new("int8");
    public static readonly Recipe Int8Full = new("int8-full");
    public static readonly Recipe Auto = new("auto");
    public static readonly Recipe Huffman = None.WithHuffman();

    /// <summary>
    /// The recipes that run on the model alone (no calibration or evaluation data), in the order they are listed to
    /// users: the set benchmarks and recipe tests sweep.
    /// </summary>
    public static IReadOnlyList<Recipe> Known { get; } = [None, Float16, Int8Dynamic];

    /// <summary>The recipes that store a ModelBuild container: each base recipe's model entropy coded.</summary>
    public static IReadOnlyList<Recipe> Packed { get; } = [Huffman, .. new[] { Float16, Int8Dynamic, Int8, Int8Full }.Select(r => r.WithHuffman())];

    /// <summary>Every recipe <see cref="Parse"/> accepts: <see cref="Known"/>, the ones that need data, then <see cref="Packed"/>.</summary>
    public static IReadOnlyList<Recipe> All { get; } = [.. Known, Int8, Int8Full, Auto, .. Packed];

    private Recipe(string name, Recipe? packedBase = null)
    {
        Name = name;
        PackedBase = packedBase;
    }

    public string Name { get; }

    /// <summary>For a <c>+huffman</c> recipe, the recipe whose model is packed (<see cref="None"/> for <c>huffman</c>); otherwise null.</summary>
    public Recipe? PackedBase { get; }

    /// <summary>Whether the stored form is a ModelBuild container rather than a plain ONNX file.</summary>
    public bool IsPacked => PackedBase is not null;

    /// <summary>The recipe that makes the ONNX model: this one, or the base of a packed one.</summary>
    public Recipe Base => PackedBase ?? this;

    /// <summary>Whether the recipe cannot run without calibration data (<c>int8</c>, <c>int8-full</c>, with or without <c>+huffman</c>).</summary>
    public bool NeedsCalibrationData => Base == Int8 || Base == Int8Full;

    /// <summary>The recipe named <paramref name="text"/> (case-insensitive, spaces around names and <c>+</c> ignored).</summary>
    /// <exception cref="RecipeException">MB1005 for an unknown step or a composition that is not base<c>+huffman</c>; the message lists the recipes that exist.</exception>
    public static Recipe Parse(string text)
    {
        var steps = text.Split('+').Select(step => step.Trim()).ToArray();
        var name = string.Join("+", steps);
        if (steps.Length == 2 && string.Equals(steps[1], HuffmanStep, StringComparison.OrdinalIgnoreCase)
            && string.Equals(steps[0], None.Name, StringComparison.OrdinalIgnoreCase))
            return Huffman;
        if (All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) is { } recipe)
            return recipe;
        throw new RecipeException(text, Reason(steps));
    }

    public bool Equals(Recipe? other) => other is not null && Name == other.Name;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    /// <summary>This recipe followed by the huffman step (<c>none</c> gives <c>huffman</c>).</summary>
    public Recipe WithHuffman() => new(this == None ? HuffmanStep : $"{Name}+{HuffmanStep}", this);

    private static string Reason(string[] steps)
    {
        var unknown = steps.FirstOrDefault(step => !All.Any(r => string.Equals(r.Name, step, StringComparison.OrdinalIgnoreCase)));
        if (unknown is not null)
            return unknown.Length == 0 ? "a step is empty" : $"'{unknown}' is not a recipe step";
        return $"steps compose only as <base>+{HuffmanStep}, with <base> one of {string.Join(", ", Packed.Select(r => r.Base.Name))}";
    }
}
