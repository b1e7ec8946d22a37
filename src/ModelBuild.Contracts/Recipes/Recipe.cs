using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>
    /// A compression recipe: an ordered list of steps with parameters (<c>int8:entropy+huffman</c>), or <c>auto</c>
    /// (a search over candidate recipes on evaluation data). <c>none</c> is the empty list; <c>huffman</c> alone
    /// (also <c>none+huffman</c>) packs the original losslessly. Parsed by <see cref="Parse"/> only, in the task, the
    /// CLI and <c>auto</c> alike; the grammar is <see cref="RecipeSteps"/>.
    /// </summary>
    public sealed class Recipe : IEquatable<Recipe>
    {
        public static readonly Recipe None = new(Array.Empty<RecipeStep>());
        public static readonly Recipe Float16 = Single(RecipeSteps.Float16);
        public static readonly Recipe Int8Dynamic = Single(RecipeSteps.Int8Dynamic);
        public static readonly Recipe Int8 = Single(RecipeSteps.Int8);
        public static readonly Recipe Int8Full = Single(RecipeSteps.Int8Full);
        public static readonly Recipe Auto = new(Array.Empty<RecipeStep>(), isAuto: true);
        public static readonly Recipe Huffman = None.WithHuffman();

        /// <summary>
        /// The recipes that run on the model alone (no calibration or evaluation data), in the order they are listed to
        /// users: the set benchmarks and recipe tests sweep.
        /// </summary>
        public static IReadOnlyList<Recipe> Known { get; } = new[] { None, Float16, Int8Dynamic };

        /// <summary>The recipes that store a ModelBuild container: each named recipe's model entropy coded.</summary>
        public static IReadOnlyList<Recipe> Packed { get; } =
            new[] { Huffman }.Concat(new[] { Float16, Int8Dynamic, Int8, Int8Full }.Select(r => r.WithHuffman())).ToArray();

        /// <summary>The named recipes (no parameters): <see cref="Known"/>, the ones that need data, then <see cref="Packed"/>.</summary>
        public static IReadOnlyList<Recipe> All { get; } = Known.Concat(new[] { Int8, Int8Full, Auto }).Concat(Packed).ToArray();

        internal Recipe(IReadOnlyList<RecipeStep> steps, bool isAuto = false)
        {
            Steps = steps;
            IsAuto = isAuto;
        }

        /// <summary>The steps as the recipe names them, in its order (<c>none</c> drops out); what the pipeline runs is <see cref="PipelineSteps"/>.</summary>
        public IReadOnlyList<RecipeStep> Steps { get; }

        public bool IsAuto { get; }

        /// <summary>
        /// The step names without parameters (<c>int8+huffman</c>; <c>none</c> for no steps): what the model
        /// description's <c>recipe</c> record, reports and the generated class's <c>ModelInfo.Recipe</c> say.
        /// Parameters, like item options, tune a step without changing what kind of model it makes.
        /// </summary>
        public string Name => IsAuto ? RecipeSteps.Auto : Steps.Count == 0 ? RecipeSteps.None : string.Join("+", Steps.Select(s => s.Name));

        /// <summary>The canonical text with parameters (<c>int8:entropy+huffman</c>): what the task hands the CLI, and what <see cref="Parse"/> reads back.</summary>
        public string Text => IsAuto ? RecipeSteps.Auto : Steps.Count == 0 ? RecipeSteps.None : string.Join("+", Steps.Select(s => s.Text));

        /// <summary>Whether the stored form is a ModelBuild container rather than a plain ONNX file.</summary>
        public bool IsPacked => Steps.Any(s => s.Definition.Order == OrderClass.Packing);

        /// <summary>The recipe that makes the ONNX model: this one without its packing steps.</summary>
        public Recipe Base => IsPacked ? new Recipe(Steps.Where(s => s.Definition.Order != OrderClass.Packing).ToArray()) : this;

        /// <summary>For a packed recipe, <see cref="Base"/>; otherwise null.</summary>
        public Recipe? PackedBase => IsPacked ? Base : null;

        /// <summary>Only the packing steps (<see cref="None"/> when there are none): what is left of a recipe on a model that is quantized already.</summary>
        public Recipe PackingOnly => new(Steps.Where(s => s.Definition.Order == OrderClass.Packing).ToArray());

        /// <summary>What some step needs, over all steps (<c>auto</c> needs evaluation data).</summary>
        public StepNeeds Needs => Steps.Aggregate(IsAuto ? StepNeeds.EvaluationData : StepNeeds.None, (needs, step) => needs | step.Definition.Needs);

        /// <summary>Whether the recipe cannot run without calibration data (<c>int8</c>, <c>int8-full</c>, with or without <c>+huffman</c>).</summary>
        public bool NeedsCalibrationData => (Needs & StepNeeds.CalibrationData) != 0;

        /// <summary>Whether the recipe measures the model (<c>auto</c>).</summary>
        public bool NeedsEvaluationData => (Needs & StepNeeds.EvaluationData) != 0;

        /// <summary>Whether the recipe is the one step <paramref name="stepName"/>, with any parameters (<c>int8:entropy</c> is static int8).</summary>
        public bool IsOnly(string stepName) => Steps.Count == 1 && Steps[0].Name == stepName;

        /// <summary>The recipe <paramref name="text"/> (case-insensitive; spaces around steps, <c>+</c> and <c>:</c> ignored).</summary>
        /// <exception cref="RecipeException">MB1005: an unknown step, a bad parameter or a bad order, saying which and what is expected.</exception>
        public static Recipe Parse(string text) => RecipeParser.Parse(text);

        /// <summary>This recipe followed by the huffman step (<c>none</c> gives <c>huffman</c>).</summary>
        public Recipe WithHuffman() => new(Steps.Concat(new[] { new RecipeStep(RecipeSteps.Find(RecipeSteps.Huffman)!) }).ToArray());

        /// <summary>
        /// The steps the pipeline runs: first preparation, each step once, in the grammar's order (the ones the recipe
        /// names, with their parameters, and the ones some step needs); then the recipe's other steps in its order.
        /// </summary>
        public IReadOnlyList<RecipeStep> PipelineSteps()
        {
            var needs = Needs;
            var preparation = RecipeSteps.All
                .Where(step => step.Order == OrderClass.Preparation)
                .Select(step => Steps.FirstOrDefault(named => named.Name == step.Name)
                    ?? ((step.Provides & needs) != 0 ? new RecipeStep(step) : null))
                .Where(step => step is not null)
                .Select(step => step!);
            return preparation.Concat(Steps.Where(step => step.Definition.Order != OrderClass.Preparation)).ToArray();
        }

        /// <summary>The opset the recipe's steps need (0: any).</summary>
        public int MinimumOpset => Steps.Select(s => s.Definition.MinimumOpset).DefaultIfEmpty(0).Max();

        public bool Equals(Recipe? other) => other is not null && Text == other.Text;

        public override bool Equals(object? obj) => Equals(obj as Recipe);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

        public static bool operator ==(Recipe? left, Recipe? right) => left is null ? right is null : left.Equals(right);

        public static bool operator !=(Recipe? left, Recipe? right) => !(left == right);

        public override string ToString() => Text;

        private static Recipe Single(string stepName) => new(new[] { new RecipeStep(RecipeSteps.Find(stepName)!) });
    }
}
