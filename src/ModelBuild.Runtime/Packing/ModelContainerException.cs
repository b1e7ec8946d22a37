namespace ModelBuild.Runtime.Packing;

/// <summary>
/// A ModelBuild container that cannot be decoded: truncated, damaged or from another format version. The message
/// says what was expected and what was found at which byte offset.
/// </summary>
public sealed class ModelContainerException : Exception
{
    public ModelContainerException(long offset, string detail, Exception? inner = null)
        : base($"ModelBuild container is damaged at byte {offset}: {detail}. Rebuild the project so the model is packed again.", inner)
    {
        Offset = offset;
        Detail = detail;
    }

    /// <summary>The byte of the resource where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What was expected and found, without the offset.</summary>
    public string Detail { get; }
}
