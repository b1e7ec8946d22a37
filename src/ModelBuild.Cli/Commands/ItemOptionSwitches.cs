using System.CommandLine;
using System.Globalization;
using ModelBuild.Contracts.Options;

namespace ModelBuild.Cli.Commands;

/// <summary>
/// The CLI options declared from the item option table (<see cref="ItemOptions"/>): one per row, under its switch,
/// with its help text and default. Counts are parsed as numbers, everything else is text the commands parse.
/// </summary>
public sealed class ItemOptionSwitches
{
    private readonly Dictionary<ItemOption, Option> _options = ItemOptions.All.ToDictionary(row => row, Declare);

    /// <summary>Adds the options of <paramref name="rows"/> to <paramref name="command"/>.</summary>
    public void AddTo(Command command, IEnumerable<ItemOption> rows)
    {
        foreach (var row in rows)
            command.Add(_options[row]);
    }

    /// <summary>The text of a row that is not a count; null when not given.</summary>
    public string? Text(ParseResult parse, ItemOption row) => parse.GetValue((Option<string?>)_options[row]);

    /// <summary>The value of a count row; its default (or null) when not given.</summary>
    public int? Count(ParseResult parse, ItemOption row) => parse.GetValue((Option<int?>)_options[row]);

    private static Option Declare(ItemOption row)
    {
        if (row.Kind != ItemOptionKind.Count)
            return new Option<string?>(row.Switch) { Description = row.Description };
        var option = new Option<int?>(row.Switch) { Description = row.Description };
        if (row.DefaultValue.Length > 0)
        {
            var defaultValue = int.Parse(row.DefaultValue, CultureInfo.InvariantCulture);
            option.DefaultValueFactory = _ => defaultValue;
        }
        return option;
    }
}
