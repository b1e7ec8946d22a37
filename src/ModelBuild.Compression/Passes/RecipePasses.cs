using System.Reflection;

namespace ModelBuild.Compression.Passes;

/// <summary>
/// The pass of each recipe step, found by its <see cref="RecipeStepAttribute"/>: registering a step is its entry in
/// <see cref="RecipeSteps"/> and the attribute on its pass class, nothing else. RecipePassesTests checks that every
/// step of the grammar has exactly one pass and every pass a step.
/// </summary>
internal static class RecipePasses
{
    private static readonly Lazy<IReadOnlyDictionary<string, Type>> ByStep = new(() => typeof(RecipePasses).Assembly.GetTypes()
        .SelectMany(type => type.GetCustomAttributes<RecipeStepAttribute>().Select(attribute => (attribute.Name, Type: type)))
        .ToDictionary(binding => binding.Name, binding => binding.Type, StringComparer.Ordinal));

    /// <summary>The step names that have a pass.</summary>
    public static IReadOnlyCollection<string> Steps => ByStep.Value.Keys.ToList();

    /// <summary>A new pass for <paramref name="step"/>, given its parameters.</summary>
    public static IRecipePass Create(RecipeStep step)
    {
        if (!ByStep.Value.TryGetValue(step.Name, out var type))
            throw new InvalidOperationException($"recipe step '{step.Name}' has no pass: expected a class marked [RecipeStep(\"{step.Name}\")]");
        var withStep = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(RecipeStep)]);
        return (IRecipePass)(withStep is not null ? withStep.Invoke([step]) : Activator.CreateInstance(type, nonPublic: true)!);
    }
}
