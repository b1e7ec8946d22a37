using System.Runtime.CompilerServices;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>Nodes as dictionary keys by identity: protobuf messages compare by content, which pruning changes.</summary>
internal sealed class NodeIdentity : IEqualityComparer<NodeProto>
{
    public static readonly NodeIdentity Comparer = new();

    public bool Equals(NodeProto? x, NodeProto? y) => ReferenceEquals(x, y);

    public int GetHashCode(NodeProto node) => RuntimeHelpers.GetHashCode(node);
}
