using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Build.Framework;
using ModelBuild.Cli.Commands;
using ModelBuild.Cli.Reporting;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Options;
using ModelBuild.Tasks.Caching;
using ModelBuild.Tasks.Compression;
using ModelBuild.Tasks.Settings;
using ModelBuild.Tasks.Tests.Support;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Options;

/// <summary>
/// Every row of the item option table, set on an item and resolved by the task, reaches the CLI (its parser reads
/// the value from the task's command line), the settings stamp and the cache key; another value changes all three.
/// </summary>
public sealed class ItemOptionTableTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Rows() => new(ItemOptions.All.Select(row => row.MetadataName));

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_value_reaches_the_cli_the_stamp_and_the_cache_key_and_another_value_changes_each(string metadataName)
    {
        var row = ItemOptions.All.Single(option => option.MetadataName == metadataName);
        var (first, second) = TwoValues(row);

        var one = Through(row, first);
        var other = Through(row, second);

        Assert.Equal(one.Expected, one.CliValue);
        Assert.Equal(other.Expected, other.CliValue);
        Assert.NotEqual(one.CliValue, other.CliValue);
        Assert.Contains($"\n{row.StampName}={one.Expected}\n", one.Stamp);
        Assert.NotEqual(one.Stamp, other.Stamp);
        Assert.NotEqual(one.CacheKey, other.CacheKey);
    }

    [Fact]
    public void The_cli_compress_options_are_the_table_plus_its_fixed_ones()
    {
        var command = CompressCommand.Create(new ConsoleReporter(TextWriter.Null, TextWriter.Null), new Option<bool>("--verbose"));
        string[] fixedOptions = ["--recipe", "--output", "--decoded-output", "--container-output", "--description", "--report", "--result"];

        var tableOptions = command.Options.Select(option => option.Name).Where(name => name.StartsWith("--", StringComparison.Ordinal)).Except(fixedOptions);

        Assert.Equal(ItemOptions.All.Select(row => row.Switch).Order(StringComparer.Ordinal), tableOptions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_row_is_in_the_table_once_with_its_own_metadata_name_and_switch()
    {
        Assert.Equal(16, ItemOptions.All.Count);
        Assert.Equal(ItemOptions.All.Count, ItemOptions.All.Select(row => row.MetadataName).Distinct().Count());
        Assert.Equal(ItemOptions.All.Count, ItemOptions.All.Select(row => row.Switch).Distinct().Count());
        Assert.Contains(ItemOptions.TargetCpu, ItemOptions.All);
        Assert.Equal(ItemOptions.CalibrationData, ItemOptions.All[0]);
    }

    [Fact]
    public void The_table_names_the_target_cpus_the_compression_library_knows() =>
        Assert.Equal(TargetCpus.Names, ItemOptions.TargetCpus);

    [Fact]
    public void A_native_target_puts_the_machine_into_the_stamp_and_another_target_does_not()
    {
        Assert.Contains("\ntarget-machine=", Through(ItemOptions.TargetCpu, "native").Stamp);
        Assert.DoesNotContain("target-machine=", Through(ItemOptions.TargetCpu, "arm64").Stamp);
    }

    [Fact]
    public void A_reference_model_reaches_the_cli_and_the_stamp_as_a_full_path()
    {
        var outcome = Through(ItemOptions.ReferenceModel, "models/teacher.onnx");

        Assert.True(Path.IsPathRooted(outcome.CliValue), outcome.CliValue);
        Assert.EndsWith(Path.Combine("models", "teacher.onnx"), outcome.CliValue, StringComparison.Ordinal);
        Assert.Contains($"\nreference-model={outcome.CliValue}\n", outcome.Stamp);
    }

    private static (string First, string Second) TwoValues(ItemOption row) => row.Kind switch
    {
        ItemOptionKind.DataSpec => ("data/a", "data/b"),
        ItemOptionKind.Count => ("3", "4"),
        ItemOptionKind.NameList => ("Conv_1", "Conv_1;Conv_2"),
        ItemOptionKind.FreeText => ("1", "2"),
        ItemOptionKind.Choice => (row.ValidNames[0], row.ValidNames[1]),
        _ => throw new ArgumentOutOfRangeException(nameof(row), row.Kind, "a kind this test does not know"),
    };

    /// <summary>Resolves an item with <paramref name="value"/> for <paramref name="row"/>, then builds what the targets would.</summary>
    private Outcome Through(ItemOption row, string value)
    {
        var (task, engine) = ResolveTaskRun.Prepare(folder, "digits.onnx", item =>
        {
            // Budgets measure the model, which needs evaluation data (MB1017 otherwise).
            item.SetMetadata(ItemOptions.EvaluationData.MetadataName, "data/evaluation");
            item.SetMetadata(row.MetadataName, value);
        });
        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        var item = Assert.Single(task.ResolvedModels);
        var expected = item.GetMetadata(row.MetadataName);
        Assert.NotEqual("", expected);

        var cli = folder.File("tools/modelbuild.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(cli)!);
        File.WriteAllBytes(cli, [1]);
        var commandLine = CompressCommandLine.For(item, cli, [], folder.File("result.json"));
        var stamp = SettingsStamp.Text(item, "1.0.0");
        var key = CacheKey.Compute(item.ItemSpec, stamp, folder.Path, cli);
        return new Outcome(expected, CliValue(row, commandLine), stamp, key);
    }

    /// <summary>The value the CLI's own parser reads for the row's switch from the task's command line.</summary>
    private static string? CliValue(ItemOption row, string commandLine)
    {
        var arguments = CommandLineParser.SplitCommandLine(commandLine).ToList();
        var compress = CompressCommand.Create(new ConsoleReporter(TextWriter.Null, TextWriter.Null), new Option<bool>("--verbose"));
        var parse = compress.Parse(arguments.Skip(arguments.IndexOf("compress") + 1).ToList());
        Assert.Empty(parse.Errors);
        return row.Kind == ItemOptionKind.Count
            ? parse.GetValue<int?>(row.Switch)?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : parse.GetValue<string?>(row.Switch);
    }

    private sealed record Outcome(string Expected, string? CliValue, string Stamp, string CacheKey);
}
