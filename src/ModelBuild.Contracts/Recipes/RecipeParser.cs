using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>
    /// Reads recipe text into steps: <c>step[:parameter[:parameter]]</c> joined by <c>+</c>, case-insensitive, spaces
    /// ignored. Rules: every step and parameter is known and in range; steps go in order class order (preparation,
    /// graph surgery, weight representation, weight sharing, packing); a step appears once; at most one weight representation
    /// (<c>none</c> counts as one, then drops out); <c>auto</c> stands alone; a named <c>upgrade-opset</c> reaches the
    /// opset the other steps need.
    /// </summary>
    internal static class RecipeParser
    {
        public static Recipe Parse(string text)
        {
            var parts = text.Split('+').Select(part => part.Trim()).ToArray();
            if (parts.Length == 1 && string.Equals(parts[0], RecipeSteps.Auto, StringComparison.OrdinalIgnoreCase))
                return Recipe.Auto;

            var steps = new List<RecipeStep>();
            var order = new List<(string Name, OrderClass Order)>();
            foreach (var part in parts)
            {
                if (part.Length == 0)
                    throw new RecipeException(text, "a step is empty");
                var pieces = part.Split(':').Select(piece => piece.Trim()).ToArray();
                var name = pieces[0];
                if (string.Equals(name, RecipeSteps.Auto, StringComparison.OrdinalIgnoreCase))
                    throw new RecipeException(text, "'auto' searches over recipes and stands alone, found it with other steps");
                if (string.Equals(name, RecipeSteps.None, StringComparison.OrdinalIgnoreCase))
                {
                    if (pieces.Length > 1)
                        throw new RecipeException(text, $"'{RecipeSteps.None}' takes no parameters, found '{part}'");
                    CheckOrder(text, order, RecipeSteps.None, OrderClass.WeightRepresentation);
                    continue;
                }
                var definition = RecipeSteps.Find(name)
                    ?? throw new RecipeException(text, name.Length == 0 ? $"'{part}' has no step name" : $"'{name}' is not a recipe step");
                CheckOrder(text, order, definition.Name, definition.Order);
                steps.Add(new RecipeStep(definition, Arguments(text, definition, pieces)));
            }
            CheckOpset(text, steps);
            return new Recipe(steps);
        }

        private static IReadOnlyList<string> Arguments(string text, StepDefinition definition, string[] pieces)
        {
            var given = pieces.Length - 1;
            if (given > definition.Parameters.Count)
            {
                var takes = definition.Parameters.Count == 0
                    ? "takes no parameters"
                    : $"takes at most {definition.Parameters.Count} ({string.Join(", ", definition.Parameters.Select(p => p.Name))})";
                throw new RecipeException(text, $"'{definition.Name}' {takes}, found {given} in '{string.Join(":", pieces)}'");
            }
            var arguments = new string[given];
            for (var i = 0; i < given; i++)
            {
                var parameter = definition.Parameters[i];
                if (pieces[i + 1].Length == 0)
                    throw new RecipeException(text, $"'{definition.Name}' parameter {parameter.Name} is empty; expected {parameter.Expected}");
                arguments[i] = parameter.Normalize(pieces[i + 1], out var problem)
                    ?? throw new RecipeException(text, $"'{definition.Name}' parameter {problem}; expected {parameter.Expected}");
                if (parameter.OnlyWith is { } only)
                {
                    var earlier = Enumerable.Range(0, i).FirstOrDefault(j => definition.Parameters[j].Name == only.Parameter);
                    if (arguments[earlier] != only.Value)
                        throw new RecipeException(text, $"'{definition.Name}' parameter {parameter.Name} applies only with {only.Parameter} {only.Value}, found {only.Parameter} {arguments[earlier]}");
                }
            }
            return arguments;
        }

        private static void CheckOrder(string text, List<(string Name, OrderClass Order)> before, string name, OrderClass order)
        {
            if (before.Any(step => step.Name == name))
                throw new RecipeException(text, $"'{name}' appears twice; a step runs once");
            var later = before.FirstOrDefault(step => step.Order > order);
            if (later.Name is not null)
                throw new RecipeException(text,
                    $"'{name}' ({RecipeSteps.Words(order)}) comes after '{later.Name}' ({RecipeSteps.Words(later.Order)}); steps go in the order preparation, graph surgery, weight representation, weight sharing, packing");
            var representation = before.FirstOrDefault(step => step.Order == OrderClass.WeightRepresentation);
            if (order == OrderClass.WeightRepresentation && representation.Name is not null)
                throw new RecipeException(text, $"'{representation.Name}' and '{name}' both choose how the weights are stored; use one");
            before.Add((name, order));
        }

        private static void CheckOpset(string text, IReadOnlyList<RecipeStep> steps)
        {
            var upgrade = steps.FirstOrDefault(s => s.Name == RecipeSteps.UpgradeOpset);
            var needing = steps.Where(s => s.Definition.MinimumOpset > 0).OrderByDescending(s => s.Definition.MinimumOpset).FirstOrDefault();
            if (upgrade?.Argument("opset") is not { } opset || needing is null) return;
            if (int.Parse(opset, System.Globalization.CultureInfo.InvariantCulture) < needing.Definition.MinimumOpset)
                throw new RecipeException(text, $"'{upgrade.Text}' stops below opset {needing.Definition.MinimumOpset}, which '{needing.Name}' needs");
        }
    }
}
