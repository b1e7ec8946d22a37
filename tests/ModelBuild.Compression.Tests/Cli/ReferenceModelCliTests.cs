using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// <c>compress --reference-model</c> (issue 10 item 5): the teacher measured beside the student on the same data, in
/// the report's teacher table and the build log, recorded as a data file; and every way a teacher can be unusable,
/// on a classifier built in code whose labels are its own predictions (so the student scores 100 %).
/// </summary>
public sealed class ReferenceModelCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 40, seed: 7, classCount: 4);

    public void Dispose() => images.Dispose();

    private string Output => images.PathOf("out/Model.onnx");

    private string Report => images.PathOf("out/Model.report.md");

    [Fact]
    public void The_same_model_as_teacher_is_a_row_equal_to_the_students_with_no_drop()
    {
        var teacher = images.PathOf("teacher.onnx");
        File.Copy(images.ModelPath, teacher);

        var result = Compress("fp16", teacher, "--report", Report, "--result", images.PathOf("out/result.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = TeacherRows(File.ReadAllText(Report));
        Assert.Equal(["teacher", "student", "compressed student"], rows.Select(r => r[0]));
        Assert.Equal("teacher.onnx", rows[0][1]);
        Assert.Equal("model.onnx as fp16", rows[2][1]);
        // Same file, same data: same bytes, same accuracy, nothing lost.
        Assert.Equal(rows[0][2], rows[1][2]);
        Assert.Equal("1x", rows[1][3]);
        Assert.Equal(["100.00 %", "0.00 pt"], rows[1][6..]);
        Assert.Equal(["100.00 %", "0.00 pt"], rows[0][6..]);
        Assert.Contains("model.onnx: teacher: teacher.onnx: ", result.StandardOutput);
        var html = File.ReadAllText(ReportFiles.HtmlPathFor(Report));
        Assert.Contains("<td>teacher</td><td>teacher.onnx</td>", html);
        // An input of the build: the task recompresses when it changes.
        Assert.Contains(teacher.Replace("\\", "\\\\", StringComparison.Ordinal), File.ReadAllText(images.PathOf("out/result.json")));
    }

    [Fact]
    public void A_teacher_with_its_weights_in_an_external_file_is_measured_and_the_file_is_an_input_of_the_build()
    {
        var teacher = images.PathOf("teacher/teacher.onnx");
        var data = images.PathOf("teacher/teacher.weights");
        Directory.CreateDirectory(images.PathOf("teacher"));
        var model = TestModels.ConvClassifier();
        using (var weights = File.Create(data))
        {
            foreach (var tensor in model.Graph.Initializer)
            {
                tensor.ExternalData.Add(new Onnx.Protobuf.StringStringEntryProto { Key = "location", Value = "teacher.weights" });
                tensor.ExternalData.Add(new Onnx.Protobuf.StringStringEntryProto { Key = "offset", Value = weights.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.ExternalData.Add(new Onnx.Protobuf.StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.DataLocation = Onnx.Protobuf.TensorProto.Types.DataLocation.External;
                tensor.RawData.WriteTo(weights);
                tensor.RawData = Google.Protobuf.ByteString.Empty;
            }
        }
        File.WriteAllBytes(teacher, OnnxModelFile.ToBytes(model));

        var result = Compress("fp16", teacher, "--report", Report, "--result", images.PathOf("out/result.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        // The same weights as the student's: the same predictions, so the same accuracy.
        Assert.Equal(["100.00 %", "0.00 pt"], TeacherRows(File.ReadAllText(Report))[0][6..]);
        var recorded = File.ReadAllText(images.PathOf("out/result.json"));
        Assert.Contains(teacher.Replace("\\", "\\\\", StringComparison.Ordinal), recorded);
        Assert.Contains(data.Replace("\\", "\\\\", StringComparison.Ordinal), recorded);
    }

    [Fact]
    public void Another_teacher_is_scored_on_the_same_labels()
    {
        var teacher = images.PathOf("teacher.onnx");
        File.WriteAllBytes(teacher, OnnxModelFile.ToBytes(TestModels.ConvClassifier(seed: 2)));

        var result = Compress("int8-dynamic", teacher, "--report", Report);

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = TeacherRows(File.ReadAllText(Report));
        // The labels are the student's own predictions: a teacher with other weights agrees less often.
        Assert.Equal("100.00 %", rows[1][6]);
        Assert.NotEqual("100.00 %", rows[0][6]);
        Assert.StartsWith("-", rows[1][7]);
    }

    [Fact]
    public void A_teacher_with_another_input_is_MB1024_naming_it_and_the_input_expected()
    {
        var teacher = images.PathOf("teacher.onnx");
        File.WriteAllBytes(teacher, OnnxModelFile.ToBytes(TestModels.MatMulModel()));

        var result = Compress("fp16", teacher);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{teacher}: error MB1024: the reference model (--reference-model, ReferenceModel on the item) cannot be measured beside the model: " +
            "expected the model's input 'image' float [N, 1, 8, 8]", result.StandardError);
        Assert.Contains("found 'features' float [N, 16]", result.StandardError);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void A_missing_or_empty_teacher_is_MB1024_and_one_that_is_not_onnx_is_MB1004_on_its_path()
    {
        var missing = images.PathOf("nowhere/teacher.onnx");
        var empty = images.PathOf("empty.onnx");
        File.WriteAllBytes(empty, []);
        var garbage = images.PathOf("garbage.onnx");
        File.WriteAllBytes(garbage, [0xff, 0xff, 0xff, 0x07]);

        var missingResult = Compress("fp16", missing);
        var emptyResult = Compress("fp16", empty);
        var garbageResult = Compress("fp16", garbage);

        Assert.Contains($"{missing}: error MB1024: ", missingResult.StandardError);
        Assert.Contains("expected an .onnx file, found nothing", missingResult.StandardError);
        Assert.Contains($"{empty}: error MB1024: ", emptyResult.StandardError);
        Assert.Contains($"{garbage}: error MB1004: not a valid ONNX model", garbageResult.StandardError);
        Assert.All(new[] { missingResult, emptyResult, garbageResult }, r => Assert.Equal(1, r.ExitCode));
    }

    [Fact]
    public void A_teacher_without_evaluation_data_is_MB1017()
    {
        var result = CliProcess.Run("compress", images.ModelPath, "--recipe", "fp16", "--output", Output, "--description", images.PathOf("out/Model.modeldesc"),
            "--reference-model", images.ModelPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{images.ModelPath}: error MB1017: ", result.StandardError);
    }

    /// <summary>The cells of the report's teacher table, one array per row.</summary>
    internal static IReadOnlyList<string[]> TeacherRows(string report)
    {
        var lines = report.Split('\n');
        var heading = Array.FindIndex(lines, l => l.StartsWith("## Teacher and student", StringComparison.Ordinal));
        Assert.True(heading >= 0, report);
        return lines.Skip(heading + 1).SkipWhile(l => !l.StartsWith("| role", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
    }

    private CliResult Compress(string recipe, string teacher, params string[] extra) =>
        CliProcess.Run(["compress", images.ModelPath, "--recipe", recipe, "--output", Output, "--description", images.PathOf("out/Model.modeldesc"),
            "--evaluation-data", images.Labeled, "--latency-rounds", "2", "--reference-model", teacher, .. extra]);
}
