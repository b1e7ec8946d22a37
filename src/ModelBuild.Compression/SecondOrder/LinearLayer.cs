using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// A Conv, Gemm or MatMul whose weight is a float initializer, seen as a matrix of <see cref="Rows"/> output channels
/// by <see cref="Columns"/> inputs per group: a Conv row is its output channel's kernel flattened (input channel,
/// kernel row, kernel column), which is the order of its im2col patch; a Gemm/MatMul row is an output column.
/// </summary>
internal sealed record LinearLayer(NodeProto Node, string WeightName, int Rows, int Columns, int Groups, ConvGeometry? Conv)
{
    /// <summary>A readable name for progress lines: the node's name, else its output.</summary>
    public string Name => Node.Name.Length > 0 ? Node.Name : Node.Output[0];

    public string InputName => Node.Input[0];

    public int RowsPerGroup => Rows / Groups;

    /// <summary>Whether the weight tensor is stored [inputs, outputs] (MatMul, Gemm without transB), so rows are its columns.</summary>
    public bool Transposed => Node.OpType == "MatMul" || (Node.OpType == "Gemm" && GraphEditor.IntAttribute(Node, "transB", 0) == 0);

    /// <summary>The weight as rows x columns, row-major, in double.</summary>
    public double[] ReadMatrix(TensorProto weight)
    {
        var values = TensorData.ReadFloats(weight);
        var matrix = new double[(long)Rows * Columns];
        for (var r = 0; r < Rows; r++)
        for (var c = 0; c < Columns; c++)
            matrix[((long)r * Columns) + c] = values[Index(r, c)];
        return matrix;
    }

    /// <summary>The weight tensor holding <paramref name="matrix"/> (rows x columns, row-major), with the same name and shape.</summary>
    public TensorProto WriteMatrix(TensorProto weight, double[] matrix)
    {
        var values = new float[matrix.Length];
        for (var r = 0; r < Rows; r++)
        for (var c = 0; c < Columns; c++)
            values[Index(r, c)] = (float)matrix[((long)r * Columns) + c];
        return TensorData.FromFloats(weight.Name, weight.Dims.ToArray(), values);
    }

    private long Index(int row, int column) => Transposed ? ((long)column * Rows) + row : ((long)row * Columns) + column;
}
