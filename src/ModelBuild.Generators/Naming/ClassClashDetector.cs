using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ModelBuild.Generators.Diagnostics;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Naming;

/// <summary>
/// Keeps the first description of each fully qualified class; later ones get MB3002, because two sources with one
/// hint name would make the generator fail as a whole.
/// </summary>
internal static class ClassClashDetector
{
    public static ModelClassSet Split(ImmutableArray<ModelClassModel> models, CancellationToken cancellationToken)
    {
        var firstByName = new Dictionary<string, ModelClassModel>();
        var kept = new List<ModelClassModel>();
        var clashes = new List<DiagnosticInfo>();
        foreach (var model in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Output classes share the namespace, so their names must not collide with another model's class either.
            if (firstByName.TryGetValue(model.FullClassName, out var first)
                || firstByName.TryGetValue(OutputFullName(model), out first))
            {
                clashes.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.DuplicateClass, model.DescriptionPath, 0,
                    ModelName(first), ModelName(model), model.FullClassName));
                continue;
            }
            firstByName[model.FullClassName] = model;
            firstByName[OutputFullName(model)] = model;
            kept.Add(model);
        }
        return new ModelClassSet(kept.ToEquatableArray(), clashes.ToEquatableArray());
    }

    private static string OutputFullName(ModelClassModel model)
        => model.Namespace.Length == 0 ? model.OutputClassName : model.Namespace + "." + model.OutputClassName;

    private static string ModelName(ModelClassModel model) => model.SourcePath.Length == 0 ? model.DescriptionPath : model.SourcePath;
}
