namespace ModelBuild.Contracts.Recipes
{
    /// <summary>What a step parameter's text may be.</summary>
    public enum ParameterKind
    {
        /// <summary>One of <see cref="StepParameter.Choices"/>, case-insensitive.</summary>
        Choice,
        /// <summary>A decimal number in [<see cref="StepParameter.Minimum"/>, <see cref="StepParameter.Maximum"/>].</summary>
        Number,
        /// <summary>A whole number in [<see cref="StepParameter.Minimum"/>, <see cref="StepParameter.Maximum"/>].</summary>
        Integer,
    }
}
