using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>One positional parameter of a step (<c>int8:entropy</c>): its kind, allowed values and default.</summary>
    public sealed record StepParameter(string Name, ParameterKind Kind, string Default, string Summary)
    {
        public IReadOnlyList<string> Choices { get; init; } = Array.Empty<string>();

        public double Minimum { get; init; }

        public double Maximum { get; init; }

        /// <summary>The earlier parameter and value this one only applies with (<c>percentile</c> needs calibration <c>percentile</c>); null: always.</summary>
        public (string Parameter, string Value)? OnlyWith { get; init; }

        public static StepParameter Choice(string name, string summary, params string[] choices) =>
            new(name, ParameterKind.Choice, choices[0], summary) { Choices = choices };

        public static StepParameter Number(string name, string summary, double minimum, double maximum, double @default) =>
            new(name, ParameterKind.Number, Format(@default), summary) { Minimum = minimum, Maximum = maximum };

        public static StepParameter Integer(string name, string summary, int minimum, int maximum, int @default) =>
            new(name, ParameterKind.Integer, Format(@default), summary) { Minimum = minimum, Maximum = maximum };

        /// <summary>What the parameter accepts, e.g. <c>calibration: minmax|percentile|entropy (default minmax)</c>.</summary>
        public string Expected => Kind switch
        {
            ParameterKind.Choice => $"{Name}: {string.Join("|", Choices)} (default {Default})",
            ParameterKind.Integer => $"{Name}: a whole number from {Format(Minimum)} to {Format(Maximum)} (default {Default})",
            _ => $"{Name}: a number from {Format(Minimum)} to {Format(Maximum)} (default {Default})",
        } + (OnlyWith is { } only ? $", with {only.Parameter} {only.Value}" : "");

        /// <summary>The canonical text of <paramref name="text"/> (lower case, numbers in invariant form), or null with <paramref name="problem"/> saying why.</summary>
        public string? Normalize(string text, out string? problem)
        {
            problem = null;
            if (Kind == ParameterKind.Choice)
            {
                var choice = Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                if (choice is null)
                    problem = $"'{text}' is not a {Name}";
                return choice;
            }
            var styles = Kind == ParameterKind.Integer ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
            if (!double.TryParse(text, styles, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || double.IsInfinity(value))
            {
                problem = $"'{text}' is not {(Kind == ParameterKind.Integer ? "a whole number" : "a number")}";
                return null;
            }
            if (value < Minimum || value > Maximum)
            {
                problem = $"{Name} {Format(value)} is outside {Format(Minimum)} to {Format(Maximum)}";
                return null;
            }
            return Format(value);
        }

        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
