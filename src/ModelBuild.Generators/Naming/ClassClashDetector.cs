using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ModelBuild.Contracts.Naming;
using ModelBuild.Generators.Diagnostics;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Naming;

/// <summary>
/// Applies the task's clash rule (<see cref="ClassClashes{TOwner}"/>) again to the descriptions: the first model of
/// each class keeps it and later ones get MB1006, because two sources with one hint name would make the generator
/// fail as a whole.
/// </summary>
internal static class ClassClashDetector
{
    public static ModelClassSet Split(ImmutableArray<ModelClassModel> models, CancellationToken cancellationToken)
    {
        var owners = new ClassClashes<ModelClassModel>();
        var kept = new List<ModelClassModel>();
        var clashes = new List<DiagnosticInfo>();
        foreach (var model in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!owners.TryClaim(model.Namespace, model.ClassName, model, out var first, out var typeName))
            {
                clashes.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ClassClash, model.DescriptionPath, 0,
                    ModelName(first), ModelName(model), typeName));
                continue;
            }
            kept.Add(model);
        }
        return new ModelClassSet(kept.ToEquatableArray(), clashes.ToEquatableArray());
    }

    private static string ModelName(ModelClassModel model) => model.SourcePath.Length == 0 ? model.DescriptionPath : model.SourcePath;
}
