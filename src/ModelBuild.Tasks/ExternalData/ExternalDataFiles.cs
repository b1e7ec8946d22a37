using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelBuild.Tasks.ExternalData;

/// <summary>
/// The external data files a model's tensors point at (<c>external_data</c> <c>location</c>, relative to the
/// model's folder): they are part of the model, so they are inputs of its compress target and part of its cache key.
/// </summary>
/// <remarks>
/// Only locations the CLI would read are listed: plain files inside the model's folder, reached without a symbolic
/// link. Anything else (a missing file, a link, a FIFO, a path leading out of the folder) is left out, never opened:
/// the CLI refuses it with MB1008, so no output is produced or cached for it.
/// </remarks>
internal static class ExternalDataFiles
{
    // ModelProto.graph, .functions; GraphProto.node, .initializer, .sparse_initializer; NodeProto.attribute;
    // FunctionProto.node; AttributeProto.t, .g, .tensors, .graphs, .sparse_tensor, .sparse_tensors;
    // SparseTensorProto.values, .indices; TensorProto.external_data, .data_location; StringStringEntryProto.key, .value.
    private const int ModelGraph = 7, ModelFunctions = 25;
    private const int GraphNode = 1, GraphInitializer = 5, GraphSparseInitializer = 15;
    private const int NodeAttribute = 5, FunctionNode = 7;
    private const int AttributeTensor = 5, AttributeGraph = 6, AttributeTensors = 10, AttributeGraphs = 11, AttributeSparseTensor = 22, AttributeSparseTensors = 23;
    private const int SparseValues = 1, SparseIndices = 2;
    private const int TensorExternalData = 13, TensorDataLocation = 14, EntryKey = 1, EntryValue = 2;
    private const ulong External = 1;
    // Deeper nesting than this is no real model; protobuf's own parsers stop at 100.
    private const int MaxDepth = 64;

    /// <summary>Full paths, each once, in the order the model names them; empty when the model cannot be read.</summary>
    public static IReadOnlyList<string> Of(string modelPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(modelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Array.Empty<string>();
        }
        var locations = new List<string>();
        foreach (var (field, value) in ProtobufMessage.Of(bytes).LengthDelimited())
        {
            if (field == ModelGraph)
                InGraph(value, locations, 0);
            else if (field == ModelFunctions)
                InNodes(value, FunctionNode, locations, 0);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        return locations.Distinct(StringComparer.Ordinal)
            .Select(location => Readable(folder, location))
            .Where(path => path is not null)
            .Select(path => path!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The full path of <paramref name="location"/> when it is a plain file inside <paramref name="folder"/>
    /// reached through no symbolic link; otherwise null.</summary>
    public static string? Readable(string folder, string location)
    {
        try
        {
            if (location.Length == 0 || Path.IsPathRooted(location))
                return null;
            var root = folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var path = Path.GetFullPath(Path.Combine(folder, location));
            if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
                return null;
            // Every component below the model's folder, the file itself included, must be no link.
            for (var current = path; current.Length > root.Length; current = Path.GetDirectoryName(current) ?? "")
            {
                if ((File.GetAttributes(current) & FileAttributes.ReparsePoint) != 0)
                    return null;
            }
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static void InGraph(ProtobufMessage graph, List<string> locations, int depth)
    {
        if (depth > MaxDepth)
            return;
        foreach (var (field, value) in graph.LengthDelimited())
        {
            switch (field)
            {
                case GraphInitializer: InTensor(value, locations); break;
                case GraphSparseInitializer: InSparseTensor(value, locations); break;
                case GraphNode: InNode(value, locations, depth); break;
            }
        }
    }

    private static void InNodes(ProtobufMessage function, int nodeField, List<string> locations, int depth)
    {
        foreach (var (field, value) in function.LengthDelimited())
        {
            if (field == nodeField)
                InNode(value, locations, depth);
        }
    }

    private static void InNode(ProtobufMessage node, List<string> locations, int depth)
    {
        foreach (var (field, attribute) in node.LengthDelimited())
        {
            if (field != NodeAttribute)
                continue;
            foreach (var (attributeField, value) in attribute.LengthDelimited())
            {
                switch (attributeField)
                {
                    case AttributeTensor or AttributeTensors: InTensor(value, locations); break;
                    case AttributeSparseTensor or AttributeSparseTensors: InSparseTensor(value, locations); break;
                    case AttributeGraph or AttributeGraphs: InGraph(value, locations, depth + 1); break;
                }
            }
        }
    }

    private static void InSparseTensor(ProtobufMessage sparse, List<string> locations)
    {
        foreach (var (field, value) in sparse.LengthDelimited())
        {
            if (field is SparseValues or SparseIndices)
                InTensor(value, locations);
        }
    }

    private static void InTensor(ProtobufMessage tensor, List<string> locations)
    {
        if (tensor.Varint(TensorDataLocation) != External)
            return;
        foreach (var (field, entry) in tensor.LengthDelimited())
        {
            if (field != TensorExternalData)
                continue;
            string? key = null, value = null;
            foreach (var (entryField, text) in entry.LengthDelimited())
            {
                if (entryField == EntryKey) key = text.Text();
                else if (entryField == EntryValue) value = text.Text();
            }
            if (key == "location" && value is not null)
                locations.Add(value);
        }
    }
}
