using System.Reflection;
using Microsoft.CodeAnalysis;
using ModelBuild.Compression.Description;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>
/// An app assembly built the way a user's build makes it: the real description writer describes the model, the
/// generator writes the class, Roslyn compiles it with the app's own code, and the model is embedded as a
/// manifest resource. The assembly is loaded into this process so tests can call it.
/// </summary>
internal sealed class CompiledApp
{
    private CompiledApp(Assembly assembly, DescribedModel model)
    {
        Assembly = assembly;
        Model = model;
    }

    public Assembly Assembly { get; }

    public DescribedModel Model { get; }

    /// <param name="className">The generated class.</param>
    /// <param name="model">The model the description is written from.</param>
    /// <param name="appSource">App code that uses the generated class, compiled with it.</param>
    /// <param name="embeddedBytes">What to embed: the model file, another model for a mismatch; null to serialize <paramref name="model"/>.</param>
    /// <param name="resourceName">The name to embed under; the targets' name unless a test wants a missing resource.</param>
    public static CompiledApp Build(string className, ModelProto model, string appSource, byte[]? embeddedBytes = null, string? resourceName = null)
    {
        embeddedBytes ??= Google.Protobuf.MessageExtensions.ToByteArray(model);
        // A ModelBuild container is described as the CLI describes it: stored and decoded sizes.
        long? decodedBytes = ModelBuild.Runtime.Packing.ModelContainer.IsContainer(embeddedBytes) ? Google.Protobuf.MessageExtensions.ToByteArray(model).Length : null;
        var description = ModelDescriptionWriter.Format(new ModelDescription(decodedBytes is null ? "none" : "huffman", embeddedBytes.Length, embeddedBytes.Length, model, decodedBytes));
        var described = DescribedModel.Of(className, description);

        var run = GeneratorHarness.Run([described], appSource);
        Assert.Empty(run.GeneratorDiagnostics);
        run.AssertCompilesCleanly();

        using var image = new MemoryStream();
        var resource = new ResourceDescription(resourceName ?? described.ResourceName, () => new MemoryStream(embeddedBytes), isPublic: true);
        var emitted = run.Output.Emit(image, manifestResources: [resource]);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return new CompiledApp(Assembly.Load(image.ToArray()), described);
    }

    /// <summary>Creates the generated class with default session options, letting its exceptions through unwrapped.</summary>
    public object Construct(string typeName)
        => Activator.CreateInstance(
            Assembly.GetType(typeName, throwOnError: true)!,
            BindingFlags.Public | BindingFlags.Instance | BindingFlags.DoNotWrapExceptions,
            binder: null,
            args: [null],
            culture: null)!;

    /// <summary>Calls a public static method of the app's code, letting its exceptions through unwrapped.</summary>
    public object? Call(string typeName, string methodName, params object?[] arguments)
    {
        var type = Assembly.GetType(typeName, throwOnError: true)!;
        var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(typeName, methodName);
        return method.Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
    }
}
