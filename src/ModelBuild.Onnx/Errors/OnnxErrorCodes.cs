namespace ModelBuild.Onnx;

/// <summary>The diagnostic codes this layer raises (the table is in docs/internals.md).</summary>
public static class OnnxErrorCodes
{
    public const string FileNotFound = "MB1001";
    public const string FileEmpty = "MB1002";
    public const string GitLfsPointer = "MB1003";
    public const string InvalidModel = "MB1004";
    public const string ExternalDataMissing = "MB1008";
    public const string CannotWrite = "MB1009";
}
