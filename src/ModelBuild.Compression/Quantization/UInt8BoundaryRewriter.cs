using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Turns a QDQ model's float graph inputs and outputs into uint8 (<c>int8-full</c>): an input's first QuantizeLinear
/// is removed so the input feeds its DequantizeLinear directly; an output's last DequantizeLinear is removed so its
/// QuantizeLinear writes the output. A boundary the QDQ rewrite left in float (an excluded first or last node) gets
/// a DequantizeLinear or QuantizeLinear of its own over its calibrated range, so every float boundary becomes uint8.
/// </summary>
internal sealed class UInt8BoundaryRewriter(ModelProto model, ActivationCalibration calibration, StaticQuantizationOptions options, GraphNames names)
{
    private readonly GraphProto graph = model.Graph;

    public void Rewrite()
    {
        foreach (var input in OnnxGraph.RealInputs(graph).Where(IsFloat).ToList())
        {
            RewriteInput(input.Name);
            input.Type.TensorType.ElemType = (int)DataType.Uint8;
        }
        foreach (var output in graph.Output.Where(IsFloat).ToList())
        {
            RewriteOutput(output.Name);
            output.Type.TensorType.ElemType = (int)DataType.Uint8;
        }
    }

    private static bool IsFloat(ValueInfoProto value) => value.Type?.TensorType?.ElemType == (int)DataType.Float;

    private void RewriteInput(string input)
    {
        var readers = graph.Node.Where(n => n.Input.Contains(input)).ToList();
        if (readers is [{ OpType: "QuantizeLinear" } quantize] && IsOnlyReadByDequantize(quantize.Output[0], out var dequantize))
        {
            dequantize.Input[0] = input;
            graph.Node.Remove(quantize);
            return;
        }
        var (scale, zeroPoint) = AddCalibratedGrid(input);
        var dequantized = names.Next($"{input}_dequantized");
        foreach (var reader in readers)
            Rename(reader.Input, input, dequantized);
        graph.Node.Insert(0, Node("DequantizeLinear", [input, scale, zeroPoint], dequantized));
    }

    private void RewriteOutput(string output)
    {
        var producer = graph.Node.First(n => n.Output.Contains(output));
        var internalReaders = graph.Node.Where(n => n.Input.Contains(output)).ToList();
        if (producer.OpType == "DequantizeLinear" && IsActivationQuantize(producer.Input[0], out var quantize))
        {
            // The QuantizeLinear now writes the output; float readers inside the graph keep reading through the DequantizeLinear.
            quantize.Output[0] = output;
            producer.Input[0] = output;
            if (internalReaders.Count == 0)
            {
                graph.Node.Remove(producer);
                return;
            }
            var dequantizedName = names.Next($"{output}_dequantized");
            producer.Output[0] = dequantizedName;
            foreach (var reader in internalReaders)
                Rename(reader.Input, output, dequantizedName);
            return;
        }
        var (scale, zeroPoint) = AddCalibratedGrid(output);
        var floatName = names.Next($"{output}_float");
        Rename(producer.Output, output, floatName);
        foreach (var reader in internalReaders)
            Rename(reader.Input, output, floatName);
        graph.Node.Insert(graph.Node.IndexOf(producer) + 1, Node("QuantizeLinear", [floatName, scale, zeroPoint], output));
    }

    private bool IsOnlyReadByDequantize(string tensor, out NodeProto dequantize)
    {
        var readers = graph.Node.Where(n => n.Input.Contains(tensor)).ToList();
        dequantize = readers.FirstOrDefault()!;
        return readers is [{ OpType: "DequantizeLinear" }] && !GraphEditor.IsGraphOutput(graph, tensor);
    }

    /// <summary>A QuantizeLinear of an activation whose output only this DequantizeLinear reads (the pair the QDQ rewrite inserted).</summary>
    private bool IsActivationQuantize(string tensor, out NodeProto quantize)
    {
        quantize = graph.Node.FirstOrDefault(n => n.Output.Contains(tensor))!;
        return quantize is { OpType: "QuantizeLinear" } && graph.Node.Count(n => n.Input.Contains(tensor)) == 1;
    }

    private (string Scale, string ZeroPoint) AddCalibratedGrid(string tensor)
    {
        var range = calibration.RangeOf(tensor, options.CalibrationMethod, options.Percentile);
        var (qMin, qMax) = QuantizationGrid.Grid(ActivationType.UInt8);
        var grid = QuantizationGrid.Asymmetric(range, qMin, qMax);
        var scale = TensorData.FromFloats(names.Next($"{tensor}_scale"), [], [grid.StoredScale]);
        var zeroPoint = TensorData.FromUInt8(names.Next($"{tensor}_zero_point"), [], [(byte)grid.ZeroPoint]);
        graph.Initializer.Add(scale);
        graph.Initializer.Add(zeroPoint);
        return (scale.Name, zeroPoint.Name);
    }

    private NodeProto Node(string opType, string[] inputs, string output)
    {
        var name = names.Next($"{output}_{opType}");
        return NodeFactory.Node(opType, name, inputs, output);
    }

    private static void Rename(Google.Protobuf.Collections.RepeatedField<string> names, string from, string to)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == from) names[i] = to;
    }
}
