namespace ModelBuild.Compression;

/// <summary>
/// A compression recipe by name: <c>none</c>, <c>fp16</c>, <c>int8-dynamic</c>, <c>int8</c> (static, calibrated on
/// data), <c>int8-full</c> (the same with uint8 graph inputs and outputs) or <c>auto</c> (tries candidates on evaluation data and keeps the best by the objective L).
/// </summary>
public sealed record Recipe
{
    public static readonly Recipe None = new("none");
    public static readonly Recipe Float16 = new("fp16");
    public static readonly Recipe Int8Dynamic = new("int8-dynamic");
    public static readonly Recipe Int8 = new("int8");
    public static readonly Recipe Int8Full = new("int8-full");
    public static readonly Recipe Auto = new("auto");

    /// <summary>
    /// The recipes that run on the model alone (no calibration or evaluation data), in the order they are listed to
    /// users: the set benchmarks and recipe tests sweep.
    /// </summary>
    public static IReadOnlyList<Recipe> Known { get; } = [None, Float16, Int8Dynamic];

    /// <summary>Every recipe <see cref="Parse"/> accepts: <see cref="Known"/>, then the ones that need data.</summary>
    public static IReadOnlyList<Recipe> All { get; } = [.. Known, Int8, Int8Full, Auto];

    private Recipe(string name) => Name = name;

    public string Name { get; }

    /// <summary>Whether the recipe cannot run without calibration data (<c>int8</c>, <c>int8-full</c>).</summary>
    public bool NeedsCalibrationData => this == Int8 || this == Int8Full;

    /// <summary>The recipe named <paramref name="text"/> (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="RecipeException">MB1005 when no recipe has that name; the message lists the known ones.</exception>
    public static Recipe Parse(string text)
    {
        var name = text.Trim();
        return All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new RecipeException(text);
    }

    public override string ToString() => Name;
}
