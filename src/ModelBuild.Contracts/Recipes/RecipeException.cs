using System;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>A recipe text the grammar does not accept (MB1005): what was found, why it is wrong, and what is expected.</summary>
    public sealed class RecipeException : Exception
    {
        public RecipeException(string requested, string reason)
            : base($"unknown recipe '{requested}': {reason}. Expected {RecipeSteps.Expected}")
        {
            Requested = requested;
            Reason = reason;
        }

        public string Code => DiagnosticCodes.UnknownRecipe;

        /// <summary>The text as given.</summary>
        public string Requested { get; }

        /// <summary>What is wrong with it, e.g. <c>'prune' is not a recipe step</c>.</summary>
        public string Reason { get; }
    }
}
