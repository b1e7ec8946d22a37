namespace SampleApp;

/// <summary>Files the build embedded in this assembly (see the EmbeddedResource items in SampleApp.csproj).</summary>
public static class Resources
{
    public static byte[] ReadAllBytes(string name)
    {
        using var stream = typeof(Resources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Expected the embedded resource '{name}' in {typeof(Resources).Assembly.GetName().Name}; it is missing. Rebuild the project.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static string ReadAllText(string name) => System.Text.Encoding.UTF8.GetString(ReadAllBytes(name));
}
