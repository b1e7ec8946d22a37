using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ModelBuild.Contracts.Results;

/// <summary>
/// What <c>modelbuild compress --result &lt;path&gt;</c> writes and the MSBuild task reads instead of scraping the
/// CLI's output: the outputs written, warnings and errors, the data files it actually read (the target's inputs next
/// time), the budget verdicts, the report's summary line and the report paths (docs/internals.md).
/// </summary>
/// <remarks>
/// JSON through <see cref="JsonText"/>, a writer and reader of this one shape, rather than System.Text.Json: the task
/// is netstandard2.0 and runs inside MSBuild, on .NET and on .NET Framework (Visual Studio), where a
/// System.Text.Json of another version than MSBuild's own would need binding redirects we cannot ship; and with the
/// code here the CLI and the task cannot disagree on the shape.
/// </remarks>
public sealed class CompressionResultFile
{
    /// <summary>The <c>format</c> field; a reader refuses another.</summary>
    public const int FormatVersion = 1;

    public bool Succeeded { get; set; }

    /// <summary>The files written: the compressed model and its description (and the reports, which are also in <see cref="Reports"/>).</summary>
    public List<string> Outputs { get; } = new();

    public List<ResultProblem> Warnings { get; } = new();

    public List<ResultProblem> Errors { get; } = new();

    /// <summary>Every data file the loaders opened (calibration, evaluation, charset, CSV- and labels.json-listed images), full paths, sorted.</summary>
    public List<string> DataFiles { get; } = new();

    public List<ResultBudget> Budgets { get; } = new();

    /// <summary>The report's one-line summary (the choice in words); empty when the model was not measured.</summary>
    public string Summary { get; set; } = "";

    /// <summary>The Markdown and HTML reports written.</summary>
    public List<string> Reports { get; } = new();

    public string ToJson()
    {
        var json = new JsonText.Writer();
        json.BeginObject();
        json.Property("format").Number(FormatVersion);
        json.Property("succeeded").Bool(Succeeded);
        json.Property("outputs").Strings(Outputs);
        json.Property("warnings");
        Problems(json, Warnings);
        json.Property("errors");
        Problems(json, Errors);
        json.Property("dataFiles").Strings(DataFiles);
        json.Property("budgets").BeginArray();
        foreach (var budget in Budgets)
        {
            json.BeginObject();
            json.Property("budget").String(budget.Budget);
            json.Property("limit").String(budget.Limit);
            json.Property("measured").String(budget.Measured);
            json.Property("met").Bool(budget.Met);
            json.Property("miss").String(budget.Miss);
            json.EndObject();
        }
        json.EndArray();
        json.Property("summary").String(Summary);
        json.Property("reports").Strings(Reports);
        json.EndObject();
        return json.ToString();
    }

    /// <summary>Writes beside <paramref name="path"/> and moves into place, so a reader never sees half a file.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson(), new UTF8Encoding(false));
        if (File.Exists(path))
            File.Delete(path);
        File.Move(temporary, path);
    }

    /// <summary>Reads a result file; <see cref="FormatException"/> when it is not one of this format.</summary>
    public static CompressionResultFile Parse(string json)
    {
        var root = JsonText.Parse(json) as Dictionary<string, object?> ?? throw new FormatException("a result file is a JSON object");
        if (Field(root, "format") is not double format || (int)format != FormatVersion)
            throw new FormatException($"expected result format {FormatVersion}, found {Field(root, "format") ?? "none"}");
        var result = new CompressionResultFile { Succeeded = Field(root, "succeeded") is true, Summary = Text(root, "summary") };
        result.Outputs.AddRange(Strings(root, "outputs"));
        result.Warnings.AddRange(Objects(root, "warnings").Select(ToProblem));
        result.Errors.AddRange(Objects(root, "errors").Select(ToProblem));
        result.DataFiles.AddRange(Strings(root, "dataFiles"));
        result.Budgets.AddRange(Objects(root, "budgets").Select(b =>
            new ResultBudget(Text(b, "budget"), Text(b, "limit"), Text(b, "measured"), Field(b, "met") is true, Text(b, "miss"))));
        result.Reports.AddRange(Strings(root, "reports"));
        return result;
    }

    public static CompressionResultFile Read(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    private static void Problems(JsonText.Writer json, IEnumerable<ResultProblem> problems)
    {
        json.BeginArray();
        foreach (var problem in problems)
        {
            json.BeginObject();
            json.Property("code").String(problem.Code);
            json.Property("message").String(problem.Message);
            json.Property("origin").String(problem.Origin);
            json.EndObject();
        }
        json.EndArray();
    }

    private static ResultProblem ToProblem(Dictionary<string, object?> value) => new(Text(value, "code"), Text(value, "message"), Text(value, "origin"));

    private static object? Field(Dictionary<string, object?> value, string name) => value.TryGetValue(name, out var field) ? field : null;

    private static string Text(Dictionary<string, object?> value, string name) => Field(value, name) as string ?? "";

    private static IEnumerable<object?> Items(Dictionary<string, object?> value, string name) => Field(value, name) as List<object?> ?? new List<object?>();

    private static IEnumerable<string> Strings(Dictionary<string, object?> value, string name) => Items(value, name).OfType<string>();

    private static IEnumerable<Dictionary<string, object?>> Objects(Dictionary<string, object?> value, string name) =>
        Items(value, name).OfType<Dictionary<string, object?>>();
}
