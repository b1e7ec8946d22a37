using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ModelBuild.Contracts.Description;
using ModelBuild.Contracts.Naming;
using ModelBuild.Generators.Description;
using ModelBuild.Generators.Diagnostics;
using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Naming;

/// <summary>Turns a description file into the class to generate: parses it, checks element types, picks C# names.</summary>
internal static class ModelClassPlanner
{
    // Names the generated Run method uses itself; tensors and dimensions must not take them.
    private static readonly string[] ReservedParameterNames = { "runOptions", "cancellationToken", "inputValues", "outputValues" };

    // A property with one of these names would hide an object member and warn in the user's build.
    private static readonly string[] ReservedPropertyNames = { "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize", "ReferenceEquals" };

    // Members of the model class and its base that a quantization property must not take.
    private static readonly string[] ReservedMemberNames = { "Info", "Run", "Session", "Dispose", "CreateInputs", "RunSession" };

    public static ModelClassResult Plan(ModelDescriptionFile file, CancellationToken cancellationToken)
    {
        var metadataProblem = CheckMetadata(file);
        if (metadataProblem is not null) return Failure(BadDescription(file, 0, metadataProblem));
        // The MSBuild task refuses these names first (MB1007); a description written by other means still gets MB3004.
        if (GeneratedClassNames.IsGeneratedMemberName(file.ClassName))
        {
            return Failure(DiagnosticInfo.Create(
                DiagnosticDescriptors.ClassNamedLikeItsMember, file.Path, 0,
                file.ModelForMessages, file.ClassName, string.Join(", ", GeneratedClassNames.GeneratedMemberNames)));
        }

        ModelDescription description;
        try
        {
            description = ModelDescriptionParser.Parse(file.Text);
        }
        catch (DescriptionFormatException exception)
        {
            return Failure(BadDescription(file, exception.Line, exception.Message));
        }
        cancellationToken.ThrowIfCancellationRequested();

        var unsupported = UnsupportedTensors(file, description);
        if (unsupported.Count > 0) return new ModelClassResult(null, unsupported.ToEquatableArray());
        return new ModelClassResult(Name(file, description), EquatableArray<DiagnosticInfo>.Empty);
    }

    private static string? CheckMetadata(ModelDescriptionFile file)
    {
        if (!CSharpIdentifier.IsValidTypeName(file.ClassName))
            return $"item metadata ModelBuildClassName is '{file.ClassName}', which is not a C# identifier";
        if (file.Namespace.Length > 0 && !CSharpIdentifier.IsValidDottedName(file.Namespace))
            return $"item metadata ModelBuildNamespace is '{file.Namespace}', which is not a C# namespace";
        if (file.ResourceName.Length == 0)
            return "item metadata ModelBuildResourceName is empty; the class would not know which embedded resource to load";
        return null;
    }

    private static ModelClassResult Failure(DiagnosticInfo diagnostic)
        => new(null, new[] { diagnostic }.ToEquatableArray());

    private static DiagnosticInfo BadDescription(ModelDescriptionFile file, int line, string problem)
        => DiagnosticInfo.Create(DiagnosticDescriptors.BadDescription, file.Path, line, file.Path, (line + 1).ToString(), problem, file.ModelForMessages);

    private static List<DiagnosticInfo> UnsupportedTensors(ModelDescriptionFile file, ModelDescription description)
        => description.Inputs.Select(tensor => (Kind: "input", Tensor: tensor))
            .Concat(description.Outputs.Select(tensor => (Kind: "output", Tensor: tensor)))
            .Where(entry => !ElementTypes.TryGetCSharpType(entry.Tensor.ElementType, out _))
            .Select(entry => DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedElementType, file.Path, entry.Tensor.Line,
                file.ModelForMessages, entry.Kind, entry.Tensor.Name, entry.Tensor.ElementType, ElementTypes.SupportedList))
            .ToList();

    private static ModelClassModel Name(ModelDescriptionFile file, ModelDescription description)
    {
        var parameters = new NameScope(ReservedParameterNames);
        var inputIdentifiers = description.Inputs.Select(input => parameters.Claim(IdentifierSanitizer.ToCamelCase(input.Name))).ToList();
        var dimensions = new DimensionParameters(parameters);
        var inputs = description.Inputs.Select((input, index) => InputModel(input, inputIdentifiers[index], parameters, dimensions)).ToList();

        var outputClassName = GeneratedClassNames.OutputClassName(file.ClassName);
        var properties = new NameScope(ReservedPropertyNames.Concat(new[] { outputClassName }).ToArray());
        var outputs = description.Outputs.Select(output => OutputModel(output, properties.Claim(IdentifierSanitizer.ToPascalCase(output.Name)))).ToList();

        var members = new NameScope(ReservedMemberNames.Concat(ReservedPropertyNames).Concat(new[] { file.ClassName }).ToArray());
        inputs = inputs.Select(input => WithQuantization(input, description.Quantizations, ModelDescriptionFormat.Input, members)).ToList();
        outputs = outputs.Select(output => WithQuantization(output, description.Quantizations, ModelDescriptionFormat.Output, members)).ToList();

        return new ModelClassModel(
            file.Path, file.Namespace, file.ClassName, outputClassName, file.ResourceName, file.SourcePath,
            description.Recipe, description.OriginalBytes, description.StoredBytes,
            inputs.ToEquatableArray(), outputs.ToEquatableArray(), dimensions.ToModels(), description.DecodedBytes,
            description.TargetCpu, description.Int8Scheme, description.QuantizationAwareTraining);
    }

    private static TensorModel WithQuantization(TensorModel tensor, EquatableArray<DescribedQuantization> quantizations, string kind, NameScope members)
    {
        var quantization = quantizations.FirstOrDefault(q => q.Kind == kind && q.TensorName == tensor.OnnxName);
        if (quantization is null) return tensor;
        var property = members.Claim(IdentifierSanitizer.ToPascalCase(tensor.Identifier.TrimStart('@')) + "Quantization");
        var scale = quantization.Scale.ToString("R", CultureInfo.InvariantCulture) + "f";
        return tensor with { Quantization = new QuantizationModel(property, scale, quantization.ZeroPoint) };
    }

    private static TensorModel InputModel(DescribedTensor input, string identifier, NameScope parameters, DimensionParameters dimensions)
    {
        ElementTypes.TryGetCSharpType(input.ElementType, out var elementType);
        if (!input.RankKnown)
        {
            var shapeParameter = parameters.Claim(identifier.TrimStart('@') + "Shape");
            return new TensorModel(input.Name, identifier, input.ElementType, elementType, EquatableArray<DimensionModel>.Empty, RankKnown: false, shapeParameter);
        }
        var dimensionModels = input.Dimensions
            .Select((text, axis) => new DimensionModel(text, dimensions.ParameterFor(input.Name, identifier, text, axis)))
            .ToEquatableArray();
        return new TensorModel(input.Name, identifier, input.ElementType, elementType, dimensionModels, RankKnown: true, ShapeParameterName: null);
    }

    private static TensorModel OutputModel(DescribedTensor output, string identifier)
    {
        ElementTypes.TryGetCSharpType(output.ElementType, out var elementType);
        var dimensionModels = output.Dimensions.Select(text => new DimensionModel(text, null)).ToEquatableArray();
        return new TensorModel(output.Name, identifier, output.ElementType, elementType, dimensionModels, output.RankKnown, ShapeParameterName: null);
    }
}
