using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>
    /// A step of the recipe grammar: its name, when it runs, what it needs and its parameters. The compression library
    /// binds each to one pass class by name (<c>[RecipeStep("name")]</c>).
    /// </summary>
    /// <param name="Name">What users write, lower case.</param>
    /// <param name="Order">Where it may stand in a recipe.</param>
    /// <param name="Summary">What it does, in a few words (listed in MB1005 messages and the CLI's help).</param>
    public sealed record StepDefinition(string Name, OrderClass Order, string Summary)
    {
        public StepNeeds Needs { get; init; }

        /// <summary>The default-domain opset the step needs (0: any).</summary>
        public int MinimumOpset { get; init; }

        /// <summary>For a preparation step, the graph needs it meets (the pipeline inserts it for steps that need them).</summary>
        public StepNeeds Provides { get; init; }

        /// <summary>Positional parameters: <c>name:first:second</c>; a parameter left out takes the item's option or its default.</summary>
        public IReadOnlyList<StepParameter> Parameters { get; init; } = Array.Empty<StepParameter>();

        /// <summary>How to write it, e.g. <c>int8[:calibration[:percentile]]</c>.</summary>
        public string Usage =>
            Name + string.Concat(Parameters.Select(p => "[:" + p.Name)) + new string(']', Parameters.Count);
    }
}
