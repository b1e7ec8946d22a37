using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>One step of a parsed recipe: its definition and the parameters given (canonical text, in order).</summary>
    public sealed record RecipeStep(StepDefinition Definition, IReadOnlyList<string> Arguments)
    {
        public RecipeStep(StepDefinition definition)
            : this(definition, Array.Empty<string>())
        {
        }

        public string Name => Definition.Name;

        /// <summary>The step as written canonically, e.g. <c>int8:entropy</c>.</summary>
        public string Text => string.Concat(new[] { Name }.Concat(Arguments.Select(a => ":" + a)));

        /// <summary>The value given for the parameter <paramref name="name"/>, or null when it was left out.</summary>
        public string? Argument(string name)
        {
            for (var i = 0; i < Definition.Parameters.Count && i < Arguments.Count; i++)
            {
                if (Definition.Parameters[i].Name == name) return Arguments[i];
            }
            return null;
        }

        public bool Equals(RecipeStep? other) => other is not null && Text == other.Text;

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);
    }
}
