namespace ModelBuild.Compression;

/// <summary>A compression recipe by name: <c>none</c>, <c>fp16</c> or <c>int8-dynamic</c>.</summary>
public sealed record Recipe
{
    public static readonly Recipe None = new("none");
    public static readonly Recipe Float16 = new("fp16");
    public static readonly Recipe Int8Dynamic = new("int8-dynamic");

    /// <summary>Every recipe <see cref="Parse"/> accepts, in the order they are listed to users.</summary>
    public static IReadOnlyList<Recipe> Known { get; } = [None, Float16, Int8Dynamic];

    private Recipe(string name) => Name = name;

    public string Name { get; }

    /// <summary>The recipe named <paramref name="text"/> (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="RecipeException">MB1005 when no recipe has that name; the message lists the known ones.</exception>
    public static Recipe Parse(string text)
    {
        var name = text.Trim();
        return Known.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new RecipeException(text);
    }

    public override string ToString() => Name;
}
