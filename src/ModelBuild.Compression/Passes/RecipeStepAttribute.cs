namespace ModelBuild.Compression.Passes;

/// <summary>
/// Binds a pass class to the recipe step it runs (<see cref="RecipeSteps"/>). The class has a constructor taking the
/// <see cref="RecipeStep"/> (for its parameters) or none. A class may run several steps (int8 and int8-full).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
internal sealed class RecipeStepAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
