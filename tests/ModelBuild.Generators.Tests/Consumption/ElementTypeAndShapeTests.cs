using Microsoft.ML.OnnxRuntime;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>Every element type the generator exposes goes through ONNX Runtime and back; output shapes are the real ones.</summary>
public sealed class ElementTypeAndShapeTests
{
    private const string AllTypesApp = """
        using Microsoft.ML.OnnxRuntime;
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static object[] RoundTrip(float[] f32, double[] f64, Float16[] f16, long[] i64, int[] i32, short[] i16, sbyte[] i8,
                    ulong[] u64, uint[] u32, ushort[] u16, byte[] u8, bool[] b)
                {
                    using var model = new Identities();
                    IdentitiesOutput o = model.Run(f32, f64, f16, i64, i32, i16, i8, u64, u32, u16, u8, b);
                    return new object[] { o.F32_out.Data, o.F64_out.Data, o.F16_out.Data, o.I64_out.Data, o.I32_out.Data, o.I16_out.Data,
                        o.I8_out.Data, o.U64_out.Data, o.U32_out.Data, o.U16_out.Data, o.U8_out.Data, o.B_out.Data };
                }
            }
        }
        """;

    private const string LyingShapeApp = """
        using System.Linq;
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static long[] OutputShape(float[] x, long n)
                {
                    using var model = new Declared();
                    return model.Run(x, n).Y.Shape.ToArray();
                }
            }
        }
        """;

    private static readonly (string Name, DataType Type)[] Types =
    [
        ("f32", DataType.Float), ("f64", DataType.Double), ("f16", DataType.Float16), ("i64", DataType.Int64),
        ("i32", DataType.Int32), ("i16", DataType.Int16), ("i8", DataType.Int8), ("u64", DataType.Uint64),
        ("u32", DataType.Uint32), ("u16", DataType.Uint16), ("u8", DataType.Uint8), ("b", DataType.Bool),
    ];

    [Fact]
    public void EveryExposedElementTypeRoundTrips()
    {
        var builder = new OnnxModelBuilder(opset: 13);
        foreach (var (name, type) in Types)
        {
            builder.Input(name, type, 3).Output(name + "_out", type, 3);
            builder.Node("Identity", [name], [name + "_out"]);
        }
        var app = CompiledApp.Build("Identities", builder.Build(), AllTypesApp);
        object[] inputs =
        [
            new[] { 1.5f, -2f, 3.25f }, new[] { 1e300, -2.5, 0.1 }, new[] { (Float16)1.5f, (Float16)(-2f), (Float16)0.25f },
            new[] { long.MaxValue, -1L, 7L }, new[] { int.MinValue, 0, 9 }, new short[] { -300, 0, 300 }, new sbyte[] { -128, 0, 127 },
            new[] { ulong.MaxValue, 0UL, 5UL }, new[] { uint.MaxValue, 0U, 6U }, new ushort[] { 65535, 0, 8 }, new byte[] { 255, 0, 10 },
            new[] { true, false, true },
        ];

        var outputs = (object[])app.Call("App.Calls", "RoundTrip", inputs)!;

        for (var i = 0; i < inputs.Length; i++)
            Assert.Equal((System.Collections.IEnumerable)inputs[i], (System.Collections.IEnumerable)outputs[i]);
    }

    [Fact]
    public void OutputShapeComesFromTheRunNotTheDeclaration()
    {
        // Declares a fixed batch of 1 on the output while the input batch is dynamic, as some exporters do.
        var model = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 4)
            .Output("y", DataType.Float, 1, 4)
            .Node("Identity", ["x"], ["y"])
            .Build();
        var app = CompiledApp.Build("Declared", model, LyingShapeApp);

        var shape = (long[])app.Call("App.Calls", "OutputShape", new float[12], 3L)!;

        Assert.Equal([3L, 4L], shape);
    }
}
