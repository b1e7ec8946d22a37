namespace ModelBuild.Contracts;

/// <summary>Names the contracts assembly (for packing and for tests that must find it beside the task or generator).</summary>
public static class ContractsAssembly
{
    public const string Name = "ModelBuild.Contracts";
}
