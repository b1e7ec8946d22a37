using System.Reflection;

namespace ModelBuild.Runtime;

/// <summary>Reads a model that the build embedded as a manifest resource.</summary>
internal static class EmbeddedResource
{
    public static byte[] ReadAllBytes(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"Assembly '{assembly.GetName().Name}' has no embedded resource '{resourceName}'. "
                + $"Found: {string.Join(", ", assembly.GetManifestResourceNames())}. "
                + "Rebuild the project so ModelBuild embeds the compressed model again.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
