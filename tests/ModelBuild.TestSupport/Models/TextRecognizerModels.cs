using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.TestSupport;

/// <summary>
/// A CTC text recognizer small enough to reason about, shaped like PP-OCR's: <c>image</c> float[N,1,16,W] ->
/// <c>probs</c> float[N,W,17] (softmax over blank + 16 characters), opset 13. Each image column is one time step:
/// a column lit (1.0) in row r reads character r (class r + 1), a dark column reads the blank (all scores tie, and
/// argmax takes the first). <see cref="Pixels"/> draws a text that way, so the expected reading is known.
/// </summary>
public static class TextRecognizerModels
{
    public const int Rows = 16;

    /// <summary>The characters of rows 0..15, so class r + 1 is <c>Alphabet[r]</c>.</summary>
    public const string Alphabet = "abcdefghijklmnop";

    public const int Classes = Rows + 1;

    /// <param name="misread">Rows read as another character, to make a candidate that disagrees: (row's char, read as).</param>
    public static ModelProto Recognizer(params (char Drawn, char Read)[] misread)
    {
        var weights = new float[Rows * Classes];
        for (var row = 0; row < Rows; row++)
        {
            var read = misread.FirstOrDefault(m => m.Drawn == Alphabet[row]) is { Read: not '\0' } swap ? Alphabet.IndexOf(swap.Read) : row;
            weights[(row * Classes) + read + 1] = 4f;
        }
        return new OnnxModelBuilder(opset: 13)
            .Input("image", DataType.Float, "N", 1, Rows, "W")
            .Output("probs", DataType.Float, "N", "W", Classes)
            .Initializer(TensorData.FromFloats("columns.weight", [Rows, Classes], weights))
            .Initializer(TensorData.FromInt64("channel_axis", [1], [1]))
            .Node("Transpose", ["image"], ["columns"], OnnxAttributes.Ints("perm", 0, 1, 3, 2))
            .Node("MatMul", ["columns", "columns.weight"], ["logits4d"])
            .Node("Squeeze", ["logits4d", "channel_axis"], ["logits"])
            .Node("Softmax", ["logits"], ["probs"], OnnxAttributes.Int("axis", -1))
            .Build();
    }

    /// <summary>
    /// Grey pixels (row-major, <see cref="Rows"/> x <paramref name="width"/>, 255 = lit) that the recognizer reads as
    /// <paramref name="text"/>: a lit column per character, a dark one after each so repeats stay apart.
    /// </summary>
    public static byte[] Pixels(string text, int width)
    {
        if (text.Length * 2 > width)
            throw new ArgumentException($"'{text}' needs {text.Length * 2} columns, found width {width}", nameof(width));
        var pixels = new byte[Rows * width];
        for (var i = 0; i < text.Length; i++)
        {
            var row = Alphabet.IndexOf(text[i]);
            if (row < 0)
                throw new ArgumentException($"'{text[i]}' is not in {Alphabet}", nameof(text));
            pixels[(row * width) + (i * 2)] = 255;
        }
        return pixels;
    }
}
